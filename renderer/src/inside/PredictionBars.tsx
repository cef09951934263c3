import { useTranslation } from 'react-i18next'
import type { Inspection } from '../../../main/contract/inspect'
import { useFormat } from '../i18n/format'
import { visibleToken } from './attentionMath'

interface Props {
  prediction: Inspection['predictions'][number]
  position: number
  onBranch: (tokenId: number) => void
  busy: boolean
}

/**
 * What the model expected after reading up to this position: top-k bars with the token that
 * actually came next marked. Clicking an alternative continues the text from there.
 */
export function PredictionBars({ prediction, position, onBranch, busy }: Props) {
  const { t } = useTranslation('inside')
  const format = useFormat()
  const pct = (p: number) => format.percent(p, p < 0.001 ? 3 : 1)
  const { candidates, next } = prediction
  const nextInTop = next != null && candidates.some((c) => c.id === next.id)
  return (
    <div className="inside-bars" data-testid="prediction-bars">
      <h4>{t('bars.title', { position })}</h4>
      {candidates.map((c, i) => (
        <button
          key={c.id}
          type="button"
          disabled={busy}
          className={next?.id === c.id ? 'bar actual' : 'bar'}
          data-testid={`alternative-${i}`}
          data-token-id={c.id}
          data-actual={next?.id === c.id ? 'true' : 'false'}
          title={t('bars.candidate', {
            id: c.id,
            logit: format.number(c.logit, 3),
            p: format.number(c.prob, 5),
          })}
          onClick={() => onBranch(c.id)}
        >
          <span className="fill" style={{ width: `${Math.max(0.5, c.prob * 100)}%` }} />
          <span className="label">
            {visibleToken(c.text)} {next?.id === c.id ? t('bars.actual') : ''}
          </span>
          <span className="prob">{pct(c.prob)}</span>
        </button>
      ))}
      {next && !nextInTop && (
        <div className="bar actual outside" data-testid="actual-outside">
          <span className="label">
            {t('bars.actualOutside', { token: visibleToken(next.text), rank: next.rank + 1 })}
          </span>
          <span className="prob">{pct(next.prob)}</span>
        </div>
      )}
      {!next && <p className="hint">{t('bars.last')}</p>}
    </div>
  )
}
