import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useFormat } from '../i18n/format'
import { cellAt, visibleToken } from './attentionMath'
import { HeatmapCanvas } from './HeatmapCanvas'

interface Props {
  matrix: Float32Array
  tokens: { id: number; text: string }[]
  query: number
  onSelectQuery: (q: number) => void
  size?: number
}

/** The heat map of one head: rows are queries (the token reading), columns keys (read from). */
export function AttentionHeatmap({ matrix, tokens, query, onSelectQuery, size = 360 }: Props) {
  const { t } = useTranslation('inside')
  const format = useFormat()
  const seqLen = tokens.length
  const [hover, setHover] = useState<{ query: number; key: number } | null>(null)

  const onPointer = (x: number, y: number, kind: 'move' | 'leave' | 'click') => {
    const cell = kind === 'leave' ? null : cellAt(x, y, size, seqLen)
    if (kind === 'click' && cell) onSelectQuery(cell.query)
    setHover(cell)
  }

  return (
    <figure className="inside-heatmap">
      <HeatmapCanvas
        matrix={matrix}
        seqLen={seqLen}
        size={size}
        highlightQuery={query}
        testId="attention-heatmap"
        onPointer={onPointer}
      />
      <figcaption data-testid="heatmap-readout">
        {hover
          ? t('heatmap.readout', {
              query: visibleToken(tokens[hover.query].text),
              key: visibleToken(tokens[hover.key].text),
              value:
                hover.key > hover.query
                  ? t('heatmap.masked')
                  : format.number(matrix[hover.query * seqLen + hover.key], 4),
            })
          : t('heatmap.hint')}
      </figcaption>
    </figure>
  )
}
