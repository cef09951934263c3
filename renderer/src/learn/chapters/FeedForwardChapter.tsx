import { useCallback, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { FeedForwardResult } from '../../../../main/contract/learnViews'
import { api } from '../../platform'
import { Select } from '../../ui/Select'
import '../learnViews.css'

// The preset reads well on the shipped model (trained on the King James Bible).
const PRESET_TEXT = 'And God said unto Moses'
const READING = { neurons: 8, tokens: 6 }

/** A token's text as the view shows it: spaces and newlines made visible. */
const shown = (token: string) => token.replace(/ /g, '·').replace(/\n/g, '⏎') || '∅'

export function FeedForwardChapter() {
  const { t } = useTranslation('learnViews')
  const [text, setText] = useState(PRESET_TEXT)
  const [layer, setLayer] = useState(0)
  const [position, setPosition] = useState<number | undefined>(undefined)
  const [result, setResult] = useState<FeedForwardResult | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  const analyze = useCallback(async (req: { text: string; layer: number; position?: number }) => {
    setBusy(true)
    setError(null)
    try {
      setResult(await api.call('feedForward.analyze', { ...req, ...READING }))
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err))
    } finally {
      setBusy(false)
    }
  }, [])

  // The preset at once, so the chapter opens on a live reading.
  useEffect(() => {
    let live = true
    api
      .call('feedForward.analyze', { text: PRESET_TEXT, layer: 0, ...READING })
      .then((r) => live && setResult(r))
      .catch((err: unknown) => live && setError(err instanceof Error ? err.message : String(err)))
    return () => {
      live = false
    }
  }, [])

  const rerun = (next: { layer?: number; position?: number }) => {
    const l = next.layer ?? layer
    const p = 'position' in next ? next.position : position
    setLayer(l)
    setPosition(p)
    void analyze({ text, layer: l, position: p })
  }
  const maxBar = Math.max(1e-9, ...(result?.layerNorms ?? []))
  const maxContribution = Math.max(1e-9, ...(result?.neurons.map((n) => n.contribution) ?? []))

  return (
    <section className="lv-chapter" data-testid="ffn-chapter">
      <h2>{t('ffn.title')}</h2>
      <div className="learn-columns">
        <div className="lv-text">
          <p>{t('ffn.intro')}</p>
          <p>{t('ffn.watch')}</p>
          <p className="learn-muted">{t('ffn.small')}</p>
        </div>
        <div className="learn-view">
          <div className="learn-controls">
            <label className="learn-grow">
              {t('ffn.text')}{' '}
              <input
                value={text}
                data-testid="ffn-text"
                onChange={(e) => setText(e.target.value)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') rerun({ position: undefined })
                }}
              />
            </label>
            <span className="learn-field">
              {t('ffn.layer')}{' '}
              <Select
                value={String(layer)}
                ariaLabel={t('ffn.layer')}
                testId="ffn-layer"
                options={Array.from({ length: result?.numLayers ?? 1 }, (_, l) => ({
                  value: String(l),
                  label: String(l),
                }))}
                onChange={(v) => rerun({ layer: Number(v) })}
              />
            </span>
            <button
              className="primary"
              disabled={busy}
              data-testid="ffn-show"
              onClick={() => rerun({ position: undefined })}
            >
              {t('ffn.show')}
            </button>
          </div>
          {error && (
            <p className="lv-error" role="alert" data-testid="ffn-error">
              {error}
            </p>
          )}
          {result && (
            <>
              <p className="learn-muted">{t('ffn.model', { name: result.modelName })}</p>
              <div className="learn-tokens" aria-label={t('ffn.position')}>
                {result.tokens.map((tok, i) => (
                  <button
                    key={i}
                    className={i === result.position ? 'learn-token selected' : 'learn-token'}
                    data-testid={`ffn-token-${i}`}
                    onClick={() => rerun({ position: i })}
                  >
                    {shown(tok)}
                  </button>
                ))}
              </div>
              <table
                className="learn-table"
                data-testid="ffn-neurons"
                data-layer={result.layer}
                data-position={result.position}
              >
                <thead>
                  <tr>
                    <th>{t('ffn.neuron')}</th>
                    <th>{t('ffn.activation')}</th>
                    <th>{t('ffn.contribution')}</th>
                    <th>{t('ffn.promotes')}</th>
                  </tr>
                </thead>
                <tbody>
                  {result.neurons.map((n) => (
                    <tr key={n.index} data-testid="ffn-neuron" data-index={n.index}>
                      <td>{n.index}</td>
                      <td>{n.activation.toFixed(3)}</td>
                      <td>
                        <span
                          className="learn-bar"
                          style={{ width: `${(100 * n.contribution) / maxContribution}%` }}
                        />
                      </td>
                      <td>
                        {n.promoted.map((p) => (
                          <span key={p.id} className="learn-chip" data-testid="ffn-promoted">
                            {shown(p.token)}
                          </span>
                        ))}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <h3>{t('ffn.layerBars')}</h3>
              <div className="learn-layer-bars" data-testid="ffn-layer-bars">
                {result.layerNorms.map((v, l) => (
                  <button
                    key={l}
                    className={l === result.layer ? 'learn-layer selected' : 'learn-layer'}
                    onClick={() => rerun({ layer: l })}
                  >
                    <span className="learn-muted">{t('ffn.layerBar', { layer: l })}</span>
                    <span className="learn-bar" style={{ width: `${(100 * v) / maxBar}%` }} />
                  </button>
                ))}
              </div>
            </>
          )}
        </div>
      </div>
    </section>
  )
}
