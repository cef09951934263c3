import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ApiErrorShape } from '../../../main/contract/define'
import type { Inspection } from '../../../main/contract/inspect'
import { apiErrorOf } from '../errors'
import { ErrorText } from '../ErrorText'
import { api } from '../platform'
import { AttentionHeatmap } from './AttentionHeatmap'
import { decodeWeights, headMatrix, visibleToken } from './attentionMath'
import { ContributionBars } from './ContributionBars'
import { HeadGrid } from './HeadGrid'
import { HeadView } from './HeadView'
import { LensTable } from './LensTable'
import { MessagePicker } from './MessagePicker'
import { ModelView } from './ModelView'
import { PredictionBars } from './PredictionBars'
import { TokenStrip } from './TokenStrip'
import './inside.css'
import { Select } from '../ui/Select'

interface Props {
  /** a chat message to open at once (from the chat pane's "Inside" action) */
  messageId?: number | null
  modelId?: number | null
  /** The text to open on, inspected at once (a Learn chapter's preset). */
  presetText?: string
  /** A layer, head or query position to show, applied whenever one of them changes. */
  focus?: { layer?: number; head?: number; position?: number } | null
}

interface Branch {
  position: number
  chosenId: number
  prefixText: string
  chosenText: string
  text: string
}

const isTyping = (t: EventTarget | null) =>
  t instanceof HTMLElement && /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName)

/** The Inside view: tokens, next-token probabilities, attention, logit lens, layer work. */
/** Options 0 … n−1 (layers, heads). */
const numbered = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ value: String(i), label: String(i) }))

export function InsideView({ messageId = null, modelId = null, presetText, focus }: Props) {
  const { t } = useTranslation('inside')
  const [text, setText] = useState(presetText ?? 'The quick brown fox jumps over the lazy dog.')
  const [inspection, setInspection] = useState<Inspection | null>(null)
  const [position, setPosition] = useState(0)
  const [layer, setLayer] = useState(0)
  const [head, setHead] = useState(0)
  const [weights, setWeights] = useState<{ key: string; layer: number; data: Float32Array }>()
  const [branch, setBranch] = useState<Branch | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiErrorShape | null>(null)

  // A focus given with the text applies once its inspection arrives, and again on each change.
  const focusRef = useRef(focus)
  useEffect(() => {
    focusRef.current = focus
  })
  const applyFocus = useCallback((f: Props['focus'], r: Inspection) => {
    if (f?.layer !== undefined) setLayer(Math.min(f.layer, r.numLayers - 1))
    if (f?.head !== undefined) setHead(Math.min(f.head, r.numHeads - 1))
    if (f?.position !== undefined) setPosition(Math.min(f.position, r.seqLen - 1))
  }, [])
  const [seenFocus, setSeenFocus] = useState(focus)
  if (focus !== seenFocus) {
    setSeenFocus(focus)
    if (inspection) applyFocus(focus, inspection)
  }

  const inspect = useCallback(
    async (input: { text: string } | { messageId: number }) => {
      setBusy(true)
      setError(null)
      setBranch(null)
      try {
        const result = await api.call('inspect.text', { ...input, modelId: modelId ?? undefined })
        setInspection(result)
        setText(result.text)
        setPosition(Math.max(0, result.seqLen - 2))
        setLayer(result.numLayers - 1)
        setHead(0)
        applyFocus(focusRef.current, result)
      } catch (err) {
        setError(apiErrorOf(err))
      } finally {
        setBusy(false)
      }
    },
    [modelId, applyFocus],
  )

  // Deferred one tick so the request starts from a callback, not during the effect itself.
  useEffect(() => {
    if (!messageId) return
    const timer = setTimeout(() => void inspect({ messageId }), 0)
    return () => clearTimeout(timer)
  }, [messageId, inspect])

  useEffect(() => {
    if (!presetText) return
    const timer = setTimeout(() => void inspect({ text: presetText }), 0)
    return () => clearTimeout(timer)
  }, [presetText, inspect])

  // Attention comes one layer at a time (a whole 256-token model is tens of megabytes).
  useEffect(() => {
    if (!inspection) return
    let stale = false
    api
      .call('inspect.attention', { key: inspection.key, layer })
      .then((r) => {
        if (!stale) setWeights({ key: inspection.key, layer, data: decodeWeights(r.weights) })
      })
      .catch((err: unknown) => !stale && setError(apiErrorOf(err)))
    return () => {
      stale = true
    }
  }, [inspection, layer])

  useEffect(() => {
    const seqLen = inspection?.seqLen ?? 0
    const layers = inspection?.numLayers ?? 0
    const onKey = (e: KeyboardEvent) => {
      if (!seqLen || isTyping(e.target)) return
      if (e.key === 'ArrowRight') setPosition((p) => Math.min(seqLen - 1, p + 1))
      else if (e.key === 'ArrowLeft') setPosition((p) => Math.max(0, p - 1))
      else if (e.key === 'ArrowUp') setLayer((l) => Math.min(layers - 1, l + 1))
      else if (e.key === 'ArrowDown') setLayer((l) => Math.max(0, l - 1))
      else return
      e.preventDefault()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [inspection])

  const branchFrom = async (tokenId: number) => {
    if (!inspection) return
    setBusy(true)
    setError(null)
    try {
      const ids = inspection.tokens.slice(0, position + 1).map((token) => token.id)
      const r = await api.call('inspect.continue', {
        modelId: inspection.modelId,
        ids,
        chosenTokenId: tokenId,
      })
      setBranch({ position, chosenId: tokenId, ...r })
    } catch (err) {
      setError(apiErrorOf(err))
    } finally {
      setBusy(false)
    }
  }

  const selectHead = useCallback((l: number, h: number) => {
    setLayer(l)
    setHead(h)
  }, [])

  const layerData =
    inspection && weights?.key === inspection.key && weights.layer === layer ? weights.data : null
  const matrix = useMemo(
    () => (layerData && inspection ? headMatrix(layerData, head, inspection.seqLen) : null),
    [layerData, head, inspection],
  )

  return (
    <section className="inside" data-testid="inside-view">
      <form
        className="inside-input"
        onSubmit={(e) => {
          e.preventDefault()
          void inspect({ text })
        }}
      >
        <textarea
          data-testid="inside-text"
          value={text}
          rows={2}
          onChange={(e) => setText(e.target.value)}
        />
        <button type="submit" disabled={busy || !text.trim()} data-testid="inside-run">
          {busy ? t('working') : t('run')}
        </button>
      </form>
      <MessagePicker disabled={busy} onPick={(id) => void inspect({ messageId: id })} />
      {error && (
        <p className="inside-error" role="alert" data-testid="inside-error">
          <ErrorText code={error.code} message={error.message} />
        </p>
      )}
      {inspection && (
        <>
          <p className="inside-meta" data-testid="inside-meta">
            {[
              t('meta.tokens', { count: inspection.seqLen }) +
                (inspection.totalTokens > inspection.seqLen
                  ? ` ${t('meta.truncated', { shown: inspection.seqLen, total: inspection.totalTokens })}`
                  : ''),
              t('meta.shape', { layers: inspection.numLayers, heads: inspection.numHeads }),
              inspection.modelName,
              inspection.cached ? t('meta.cached') : t('meta.ms', { ms: inspection.computeMs }),
              t('meta.keys'),
            ].join(' · ')}
          </p>
          <TokenStrip tokens={inspection.tokens} position={position} onSelect={setPosition} />
          <div className="inside-row">
            <PredictionBars
              prediction={inspection.predictions[position]}
              position={position}
              onBranch={(id) => void branchFrom(id)}
              busy={busy}
            />
            {branch && (
              <div
                className="inside-branch"
                data-testid="continuation"
                data-chosen-id={branch.chosenId}
              >
                <h4>{t('branch', { position: branch.position })}</h4>
                <p>
                  <span className="prefix">{branch.prefixText}</span>
                  <mark data-testid="continuation-chosen">{branch.chosenText}</mark>
                  <span>{branch.text.slice(branch.chosenText.length)}</span>
                </p>
              </div>
            )}
          </div>
          <h3>{t('attention')}</h3>
          <div className="inside-pickers">
            <label>
              {t('layer')}{' '}
              <Select
                testId="layer-select"
                value={String(layer)}
                onChange={(v) => setLayer(Number(v))}
                options={numbered(inspection.numLayers)}
              />
            </label>
            <label>
              {t('head')}{' '}
              <Select
                testId="head-select"
                value={String(head)}
                onChange={(v) => setHead(Number(v))}
                options={numbered(inspection.numHeads)}
              />
            </label>
            <span>
              {t('query', { token: visibleToken(inspection.tokens[position].text), position })}
            </span>
          </div>
          <div className="inside-row">
            <ModelView
              thumbnails={inspection.thumbnails}
              size={inspection.thumbnailSize}
              numHeads={inspection.numHeads}
              layer={layer}
              head={head}
              onSelect={selectHead}
            />
            {matrix && layerData ? (
              <div className="inside-row">
                <AttentionHeatmap
                  matrix={matrix}
                  tokens={inspection.tokens}
                  query={position}
                  onSelectQuery={setPosition}
                />
                <HeadView
                  matrix={matrix}
                  tokens={inspection.tokens}
                  query={position}
                  onSelectQuery={setPosition}
                />
                <HeadGrid
                  layer={layerData}
                  numHeads={inspection.numHeads}
                  seqLen={inspection.seqLen}
                  head={head}
                  onSelectHead={setHead}
                />
              </div>
            ) : (
              <p className="hint">{t('loadingAttention', { layer })}</p>
            )}
          </div>
          <div className="inside-row">
            <div>
              <h3>{t('lensTitle')}</h3>
              <LensTable
                lens={inspection.lens}
                tokens={inspection.tokens}
                position={position}
                onSelect={setPosition}
              />
            </div>
            <div>
              <h3>{t('contributionTitle')}</h3>
              <ContributionBars contributions={inspection.contributions} position={position} />
            </div>
          </div>
        </>
      )}
    </section>
  )
}
