import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useFormat } from '../i18n/format'
import { visibleToken } from './attentionMath'

interface Props {
  matrix: Float32Array
  tokens: { id: number; text: string }[]
  query: number
  onSelectQuery: (q: number) => void
}

const ROW = 18
const WIDTH = 420
const COLUMN = 130

/**
 * BertViz's head view: the chosen query token on the left, every token on the right, a line
 * to each earlier token whose opacity and width grow with the attention weight.
 */
export function HeadView({ matrix, tokens, query, onSelectQuery }: Props) {
  const { t } = useTranslation('inside')
  const format = useFormat()
  const ref = useRef<HTMLCanvasElement>(null)
  const [hoverKey, setHoverKey] = useState<number | null>(null)
  const seqLen = tokens.length
  const height = seqLen * ROW + 4

  useEffect(() => {
    const canvas = ref.current
    const ctx = canvas?.getContext('2d')
    if (!canvas || !ctx) return
    const ratio = window.devicePixelRatio || 1
    canvas.width = WIDTH * ratio
    canvas.height = height * ratio
    ctx.scale(ratio, ratio)
    ctx.clearRect(0, 0, WIDTH, height)
    // Label colours follow the app's theme (CSS), not constants baked into the drawing.
    const style = getComputedStyle(canvas)
    const ink = style.color
    const muted = style.getPropertyValue('--muted').trim() || '#888'
    const accent = '#e4572e'
    ctx.font = '12px ui-monospace, monospace'
    ctx.textBaseline = 'middle'
    const y = (i: number) => i * ROW + ROW / 2 + 2
    for (let k = 0; k <= query && k < seqLen; k++) {
      const w = matrix[query * seqLen + k]
      ctx.strokeStyle = `rgba(122, 162, 255, ${Math.min(1, 0.08 + w)})`
      ctx.lineWidth = 0.5 + 5 * w
      ctx.beginPath()
      ctx.moveTo(COLUMN, y(query))
      ctx.lineTo(WIDTH - COLUMN, y(k))
      ctx.stroke()
    }
    tokens.forEach((token, i) => {
      const label = visibleToken(token.text).slice(0, 16)
      ctx.fillStyle = i === query ? accent : ink
      ctx.textAlign = 'right'
      ctx.fillText(label, COLUMN - 6, y(i))
      ctx.fillStyle = i > query ? muted : i === hoverKey ? accent : ink
      ctx.textAlign = 'left'
      ctx.fillText(label, WIDTH - COLUMN + 6, y(i))
    })
  }, [matrix, tokens, query, seqLen, height, hoverKey])

  const rowAt = (e: React.MouseEvent) => {
    const r = e.currentTarget.getBoundingClientRect()
    const row = Math.floor((e.clientY - r.top - 2) / ROW)
    return { row: Math.min(seqLen - 1, Math.max(0, row)), left: e.clientX - r.left < WIDTH / 2 }
  }

  return (
    <figure className="inside-headview">
      <div className="inside-scroll" style={{ maxHeight: 380 }}>
        <canvas
          ref={ref}
          data-testid="head-view"
          style={{ width: WIDTH, height, display: 'block', cursor: 'pointer' }}
          onClick={(e) => {
            const { row, left } = rowAt(e)
            if (left) onSelectQuery(row)
          }}
          onMouseMove={(e) => {
            const { row, left } = rowAt(e)
            setHoverKey(left ? null : row)
          }}
          onMouseLeave={() => setHoverKey(null)}
        />
      </div>
      <figcaption data-testid="head-view-readout">
        {hoverKey != null && hoverKey <= query
          ? t('headView.readout', {
              query: visibleToken(tokens[query].text),
              key: visibleToken(tokens[hoverKey].text),
              weight: format.number(matrix[query * seqLen + hoverKey], 4),
            })
          : t('headView.hint')}
      </figcaption>
    </figure>
  )
}
