import type { Inspection } from '../../../main/contract/inspect'
import { visibleToken } from './attentionMath'

interface Props {
  prediction: Inspection['predictions'][number]
  position: number
  onBranch: (tokenId: number) => void
  busy: boolean
}

const pct = (p: number) => `${(p * 100).toFixed(p < 0.001 ? 3 : 1)}%`

/**
 * What the model expected after reading up to this position: top-k bars with the token that
 * actually came next marked. Clicking an alternative continues the text from there.
 */
export function PredictionBars({ prediction, position, onBranch, busy }: Props) {
  const { candidates, next } = prediction
  const nextInTop = next != null && candidates.some((c) => c.id === next.id)
  return (
    <div className="inside-bars" data-testid="prediction-bars">
      <h4>After position {position}, the model expects</h4>
      {candidates.map((c, i) => (
        <button
          key={c.id}
          type="button"
          disabled={busy}
          className={next?.id === c.id ? 'bar actual' : 'bar'}
          data-testid={`alternative-${i}`}
          data-token-id={c.id}
          data-actual={next?.id === c.id ? 'true' : 'false'}
          title={`id ${c.id} · logit ${c.logit.toFixed(3)} · p ${c.prob.toFixed(5)} — click to continue from here`}
          onClick={() => onBranch(c.id)}
        >
          <span className="fill" style={{ width: `${Math.max(0.5, c.prob * 100)}%` }} />
          <span className="label">
            {visibleToken(c.text)} {next?.id === c.id ? '◀ actual' : ''}
          </span>
          <span className="prob">{pct(c.prob)}</span>
        </button>
      ))}
      {next && !nextInTop && (
        <div className="bar actual outside" data-testid="actual-outside">
          <span className="label">
            actual: {visibleToken(next.text)} (rank {next.rank + 1})
          </span>
          <span className="prob">{pct(next.prob)}</span>
        </div>
      )}
      {!next && <p className="hint">Last token: this is what would be generated next.</p>}
    </div>
  )
}
