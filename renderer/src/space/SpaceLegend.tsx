import { useTranslation } from 'react-i18next'
import { categoryColor, rankColor } from './spaceData'

interface Props {
  /** Points in the space: the rank scale runs from the first to the last. */
  count: number
  /** The metadata column colouring the points, with its categories; null: frequency rank. */
  column: { name: string; categories: string[] } | null
  selection: boolean
  analogy: boolean
}

const css = ([r, g, b]: [number, number, number]) =>
  `rgb(${Math.round(r * 255)}, ${Math.round(g * 255)}, ${Math.round(b * 255)})`

const SHOWN_CATEGORIES = 8

/** What the colours of the space mean: the point colouring, then the marks drawn on top. */
export function SpaceLegend({ count, column, selection, analogy }: Props) {
  const { t } = useTranslation('space')
  if (count === 0) return null
  const stops = [0, 0.25, 0.5, 0.75, 1].map((f) =>
    css(rankColor(Math.round(f * (count - 1)), count)),
  )
  return (
    <aside className="space-legend" data-testid="space-legend" aria-label={t('legend.label')}>
      {column ? (
        <>
          <div className="space-legend-title">{t('legend.byColumn', { column: column.name })}</div>
          <ul>
            {column.categories.slice(0, SHOWN_CATEGORIES).map((name, code) => (
              <li key={name} data-testid="space-legend-category">
                <span className="swatch" style={{ background: css(categoryColor(code)) }} />
                {name}
              </li>
            ))}
            {column.categories.length > SHOWN_CATEGORIES && (
              <li className="muted">
                {t('legend.more', { count: column.categories.length - SHOWN_CATEGORIES })}
              </li>
            )}
          </ul>
        </>
      ) : (
        <>
          <div className="space-legend-title">{t('legend.byRank')}</div>
          <div
            className="space-legend-scale"
            style={{ background: `linear-gradient(to right, ${stops.join(', ')})` }}
          />
          <div className="space-legend-ends">
            <span>{t('legend.frequent')}</span>
            <span>{t('legend.rare')}</span>
          </div>
        </>
      )}
      {selection && (
        <ul>
          <li>
            <span className="swatch round" style={{ background: '#ff3b30' }} />
            {t('legend.selected')}
          </li>
          <li>
            <span className="swatch round" style={{ background: '#ff9f0a' }} />
            {t('legend.neighbours')}
          </li>
        </ul>
      )}
      {analogy && (
        <ul>
          <li>
            <span className="swatch line" style={{ background: '#64d2ff' }} />
            {t('legend.analogyFrom')}
          </li>
          <li>
            <span className="swatch line" style={{ background: '#30d158' }} />
            {t('legend.analogyTo')}
          </li>
        </ul>
      )}
    </aside>
  )
}
