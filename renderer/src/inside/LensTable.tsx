import { useTranslation } from 'react-i18next'
import type { Inspection } from '../../../main/contract/inspect'
import { useFormat } from '../i18n/format'
import { visibleToken } from './attentionMath'

interface Props {
  lens: Inspection['lens']
  tokens: Inspection['tokens']
  position: number
  onSelect: (p: number) => void
  /** positions shown either side of the selected one: a 256-column table helps nobody */
  window?: number
}

/**
 * The logit lens (nostalgebraist, 2020): each layer's residual stream pushed through the
 * final norm and LM head, i.e. what the model would predict if it stopped at that layer.
 */
export function LensTable({ lens, tokens, position, onSelect, window = 6 }: Props) {
  const { t } = useTranslation('inside')
  const format = useFormat()
  const from = Math.max(0, Math.min(position - window, tokens.length - 2 * window - 1))
  const to = Math.min(tokens.length, from + 2 * window + 1)
  const cols = Array.from({ length: to - from }, (_, i) => from + i)
  const last = lens.length - 1
  return (
    <div className="inside-scroll">
      <table className="inside-lens" data-testid="lens-table">
        <thead>
          <tr>
            <th>{t('lens.layer')}</th>
            {cols.map((p) => (
              <th
                key={p}
                className={p === position ? 'selected' : ''}
                onClick={() => onSelect(p)}
                title={t('lens.position', { position: p })}
              >
                {visibleToken(tokens[p].text)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {lens
            .map((row, l) => (
              <tr key={l} data-testid={`lens-row-${l}`}>
                <th>{l === 0 ? t('lens.embed') : l === last ? t('lens.out', { layer: l }) : l}</th>
                {cols.map((p) => {
                  const cell = row[p]
                  return (
                    <td
                      key={p}
                      className={p === position ? 'selected' : ''}
                      style={{ background: `rgba(122, 162, 255, ${0.06 + 0.55 * cell.prob})` }}
                      title={t('lens.cell', {
                        layer: l,
                        position: p,
                        token: cell.text,
                        id: cell.id,
                        p: format.number(cell.prob, 4),
                      })}
                    >
                      {visibleToken(cell.text)}
                      <small>{format.percent(cell.prob, 0)}</small>
                    </td>
                  )
                })}
              </tr>
            ))
            .reverse()}
        </tbody>
      </table>
    </div>
  )
}
