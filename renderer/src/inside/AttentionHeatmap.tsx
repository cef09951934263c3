import { useState } from 'react'
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
          ? `“${visibleToken(tokens[hover.query].text)}” → “${visibleToken(tokens[hover.key].text)}”: ${
              hover.key > hover.query
                ? 'future token (masked)'
                : matrix[hover.query * seqLen + hover.key].toFixed(4)
            }`
          : 'Rows: the token that reads. Columns: the tokens it reads from. Hover for numbers.'}
      </figcaption>
    </figure>
  )
}
