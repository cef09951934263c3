import { useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ApiErrorShape } from '../../../main/contract/define'
import type { ContextPath } from '../../../main/contract/space'
import { apiErrorOf } from '../errors'
import { ErrorText } from '../ErrorText'
import { useFormat } from '../i18n/format'
import { api } from '../platform'

const DEFAULT_SENTENCES = [
  'We sat on the bank of the river and watched the water.',
  'She went to the bank to borrow money for a house.',
  'The bank raised its interest rates again this year.',
].join('\n')

const PATH_COLOURS = ['#ff9f0a', '#64d2ff', '#30d158', '#ff375f', '#bf5af2', '#ffd60a']
const SIZE = 520
const PAD = 40

interface Result {
  layers: number
  explainedVariance: number[]
  paths: ContextPath[]
}

/**
 * One word in several sentences: its hidden state at every layer, projected together (PCA
 * of all those states, computed by the service), drawn as one path per sentence from the
 * shared embedding (layer 0) outward. The slider shows the paths up to a layer, with each
 * sentence's nearest vocabulary tokens at that layer.
 */
export function ContextView({ preset }: { preset?: { word: string; sentences: string[] } }) {
  const { t } = useTranslation('space')
  const format = useFormat()
  const [word, setWord] = useState(preset?.word ?? 'bank')
  const [text, setText] = useState(preset?.sentences.join('\n') ?? DEFAULT_SENTENCES)
  const [modelDir, setModelDir] = useState('')
  const [result, setResult] = useState<Result | null>(null)
  const [layer, setLayer] = useState(0)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiErrorShape | null>(null)

  const run = () => {
    const sentences = text
      .split('\n')
      .map((s) => s.trim())
      .filter(Boolean)
    setBusy(true)
    setError(null)
    api
      .call('space.context', {
        word: word.trim(),
        sentences,
        modelDir: modelDir.trim() || undefined,
        k: 5,
      })
      .then((r) => {
        setResult(r)
        setLayer(r.layers - 1)
      })
      .catch((err) => setError(apiErrorOf(err)))
      .finally(() => setBusy(false))
  }

  // Screen coordinates of the first two PCA axes, scaled to fit every point of every path.
  const scaled = useMemo(() => {
    if (!result) return []
    const all = result.paths.flatMap((p) => p.points)
    const xs = all.map((p) => p[0])
    const ys = all.map((p) => p[1])
    const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)]
    const s = (SIZE - 2 * PAD) / Math.max(x1 - x0, y1 - y0, 1e-9)
    return result.paths.map((p) =>
      p.points.map(([x, y]) => [PAD + (x - x0) * s, SIZE - PAD - (y - y0) * s] as const),
    )
  }, [result])

  return (
    <div className="space-context" data-testid="space-context">
      <div className="space-context-form">
        <label>
          {t('context.word')}{' '}
          <input
            data-testid="context-word"
            value={word}
            onChange={(e) => setWord(e.target.value)}
          />
        </label>
        <label>
          {t('context.sentences')}
          <textarea
            data-testid="context-sentences"
            rows={5}
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
        </label>
        <label>
          {t('context.modelFolder')}{' '}
          <input
            placeholder={t('context.modelFolderPlaceholder')}
            value={modelDir}
            onChange={(e) => setModelDir(e.target.value)}
          />
        </label>
        <button data-testid="context-run" onClick={run} disabled={busy || !word.trim()}>
          {busy ? t('context.running') : t('context.show')}
        </button>
        {error && (
          <p className="space-error" role="alert" data-testid="context-error">
            <ErrorText code={error.code} message={error.message} />
          </p>
        )}
      </div>
      {result && (
        <div className="space-context-result">
          <label>
            {t('context.layer', { layer, last: result.layers - 1 })}
            <input
              data-testid="context-layer"
              type="range"
              min={0}
              max={result.layers - 1}
              value={layer}
              onChange={(e) => setLayer(Number(e.target.value))}
            />
          </label>
          <svg width={SIZE} height={SIZE} className="space-context-plot" data-testid="context-plot">
            {scaled.map((pts, s) => {
              const colour = PATH_COLOURS[s % PATH_COLOURS.length]
              const shown = pts.slice(0, layer + 1)
              const last = shown[shown.length - 1]
              return (
                <g key={s} data-testid="context-path">
                  <polyline
                    points={shown.map((p) => p.join(',')).join(' ')}
                    fill="none"
                    stroke={colour}
                    strokeWidth={2}
                  />
                  {shown.map(([x, y], l) => (
                    <circle key={l} cx={x} cy={y} r={l === 0 ? 5 : 3} fill={colour} />
                  ))}
                  <text x={last[0] + 6} y={last[1] - 6} fill={colour}>
                    {s + 1}
                  </text>
                </g>
              )
            })}
          </svg>
          <p className="space-explained">
            {t('context.pca', {
              count: result.paths.length * result.layers,
              share: format.percent(
                result.explainedVariance.slice(0, 2).reduce((a, b) => a + b, 0),
              ),
            })}
          </p>
          <ol className="space-context-nearest">
            {result.paths.map((p, s) => (
              <li key={s} style={{ color: PATH_COLOURS[s % PATH_COLOURS.length] }}>
                <span className="sentence">{p.sentence}</span> —{' '}
                {t('context.nearest', {
                  token: p.token.trim(),
                  layer,
                  words: p.nearest[layer]
                    .map((n) => `${n.word.trim() || '␣'} (${format.number(n.score, 2)})`)
                    .join(', '),
                })}
              </li>
            ))}
          </ol>
        </div>
      )}
    </div>
  )
}
