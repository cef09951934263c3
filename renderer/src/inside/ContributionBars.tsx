import { useTranslation } from 'react-i18next'
import type { Inspection } from '../../../main/contract/inspect'
import { useFormat } from '../i18n/format'

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
  const { t } = useTranslation('inside')
  const format = useFormat()
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
            <span className="swatch attn" /> {t('contrib.attention')}{' '}
            <span className="swatch ffn" /> {t('contrib.feedForward')} {t('contrib.meanOverText')}
          </>
        ) : (
          t('contrib.meanDelta')
        )}
        {' · '}
        <span className="swatch here" /> {t('contrib.here')}
      </p>
      {contributions.map((c) => {
        const here = c.perPosition[position] ?? 0
        return (
          <div
            key={c.layer}
            className="row"
            title={
              t('contrib.row', {
                layer: c.layer,
                total: format.number(c.total, 3),
                relative: format.percent(c.relative, 0),
                here: format.number(here, 3),
              }) +
              (c.attention != null
                ? t('contrib.split', {
                    attention: format.number(c.attention, 3),
                    feedForward: format.number(c.feedForward ?? 0, 3),
                  })
                : '')
            }
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
            <span className="value">{format.number(c.total, 2)}</span>
          </div>
        )
      })}
    </div>
  )
}
