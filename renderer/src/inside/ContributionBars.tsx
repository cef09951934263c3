import type { Inspection } from '../../../main/contract/inspect'

interface Props {
  contributions: Inspection['contributions']
  position: number
}

/**
 * How much each layer wrote into the residual stream (‖h_l − h_{l−1}‖), averaged over the
 * text and at the selected position; split into attention and feed-forward where known.
 */
export function ContributionBars({ contributions, position }: Props) {
  // Stacked halves can exceed the total (‖a + b‖ ≤ ‖a‖ + ‖b‖), so they set the scale too.
  const max = Math.max(
    1e-9,
    ...contributions.flatMap((c) => [
      c.total,
      c.perPosition[position] ?? 0,
      (c.attention ?? 0) + (c.feedForward ?? 0),
    ]),
  )
  const split = contributions.some((c) => c.attention != null)
  return (
    <div className="inside-contrib" data-testid="contribution-bars">
      <p className="legend">
        {split ? (
          <>
            <span className="swatch attn" /> attention <span className="swatch ffn" /> feed-forward
            (mean over the text)
          </>
        ) : (
          'mean ‖Δh‖ over the text'
        )}
        {' · '}
        <span className="swatch here" /> at the selected position
      </p>
      {contributions.map((c) => {
        const here = c.perPosition[position] ?? 0
        return (
          <div
            key={c.layer}
            className="row"
            title={`layer ${c.layer}: mean ‖Δh‖ ${c.total.toFixed(3)} (${(c.relative * 100).toFixed(0)}% of ‖h‖), here ${here.toFixed(3)}${
              c.attention != null
                ? `, attention ${c.attention.toFixed(3)}, feed-forward ${c.feedForward?.toFixed(3)}`
                : ''
            }`}
          >
            <span className="name">L{c.layer}</span>
            <span className="track">
              {c.attention != null && c.feedForward != null ? (
                <>
                  <span className="fill attn" style={{ width: `${(c.attention / max) * 100}%` }} />
                  <span className="fill ffn" style={{ width: `${(c.feedForward / max) * 100}%` }} />
                </>
              ) : (
                <span className="fill" style={{ width: `${(c.total / max) * 100}%` }} />
              )}
              <span className="here" style={{ left: `${(here / max) * 100}%` }} />
            </span>
            <span className="value">{c.total.toFixed(2)}</span>
          </div>
        )
      })}
    </div>
  )
}
