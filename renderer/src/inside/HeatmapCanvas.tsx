import { useEffect, useRef } from 'react'
import { paintHeatmap } from './attentionMath'

interface Props {
  matrix: Float32Array
  seqLen: number
  /** CSS pixels of the square */
  size: number
  /** a query row to outline, if any */
  highlightQuery?: number | null
  testId?: string
  onPointer?: (x: number, y: number, kind: 'move' | 'leave' | 'click') => void
}

/**
 * One query × key matrix as a picture. Pixels are painted once at one pixel per cell and
 * scaled without smoothing, so a 256-token head costs one putImageData, not 65k fillRects.
 */
export function HeatmapCanvas({ matrix, seqLen, size, highlightQuery, testId, onPointer }: Props) {
  const ref = useRef<HTMLCanvasElement>(null)

  useEffect(() => {
    const canvas = ref.current
    if (!canvas || seqLen === 0) return
    const ratio = window.devicePixelRatio || 1
    canvas.width = Math.round(size * ratio)
    canvas.height = Math.round(size * ratio)
    const ctx = canvas.getContext('2d')
    if (!ctx) return
    const cells = new OffscreenCanvas(seqLen, seqLen)
    const cellCtx = cells.getContext('2d')
    if (!cellCtx) return
    const image = cellCtx.createImageData(seqLen, seqLen)
    paintHeatmap(matrix, seqLen, image.data)
    cellCtx.putImageData(image, 0, 0)
    ctx.imageSmoothingEnabled = false
    ctx.drawImage(cells, 0, 0, canvas.width, canvas.height)
    if (highlightQuery != null && highlightQuery < seqLen) {
      const cell = canvas.height / seqLen
      ctx.strokeStyle = '#e4572e'
      ctx.lineWidth = Math.max(1, ratio)
      ctx.strokeRect(0, highlightQuery * cell, canvas.width, Math.max(cell, 1))
    }
  }, [matrix, seqLen, size, highlightQuery])

  const pointer = (kind: 'move' | 'leave' | 'click') => (e: React.MouseEvent) => {
    if (!onPointer) return
    const r = e.currentTarget.getBoundingClientRect()
    onPointer(e.clientX - r.left, e.clientY - r.top, kind)
  }

  return (
    <canvas
      ref={ref}
      data-testid={testId}
      style={{ width: size, height: size, imageRendering: 'pixelated', display: 'block' }}
      onMouseMove={pointer('move')}
      onMouseLeave={pointer('leave')}
      onClick={pointer('click')}
    />
  )
}
