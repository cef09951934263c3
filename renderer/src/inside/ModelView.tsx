import { memo, useEffect, useMemo, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import { decodeBytes, paintThumbnail } from './attentionMath'

interface Props {
  thumbnails: string[]
  size: number
  numHeads: number
  layer: number
  head: number
  onSelect: (layer: number, head: number) => void
}

const CELL = 34

/**
 * BertViz's model view: every head of every layer as a small picture (layers down, heads
 * across), drawn on one canvas from the summary's thumbnails so it needs no extra request.
 */
export const ModelView = memo(function ModelView(props: Props) {
  const { thumbnails, size, numHeads, layer, head, onSelect } = props
  const { t } = useTranslation('inside')
  const ref = useRef<HTMLCanvasElement>(null)
  const layers = useMemo(() => thumbnails.map(decodeBytes), [thumbnails])
  const width = numHeads * CELL
  const height = layers.length * CELL

  useEffect(() => {
    const ctx = ref.current?.getContext('2d')
    if (!ctx || size === 0) return
    ctx.clearRect(0, 0, width, height)
    const tile = new OffscreenCanvas(size, size)
    const tileCtx = tile.getContext('2d')
    if (!tileCtx) return
    const image = tileCtx.createImageData(size, size)
    ctx.imageSmoothingEnabled = false
    layers.forEach((bytes, l) => {
      for (let h = 0; h < numHeads; h++) {
        paintThumbnail(bytes, h, size, image.data)
        tileCtx.putImageData(image, 0, 0)
        ctx.drawImage(tile, h * CELL + 1, l * CELL + 1, CELL - 2, CELL - 2)
      }
    })
    ctx.strokeStyle = '#e4572e'
    ctx.lineWidth = 2
    ctx.strokeRect(head * CELL + 1, layer * CELL + 1, CELL - 2, CELL - 2)
  }, [layers, size, numHeads, layer, head, width, height])

  return (
    <figure className="inside-modelview">
      <canvas
        ref={ref}
        width={width}
        height={height}
        data-testid="model-view"
        style={{ width, height, cursor: 'pointer', display: 'block' }}
        onClick={(e) => {
          const r = e.currentTarget.getBoundingClientRect()
          const h = Math.floor((e.clientX - r.left) / CELL)
          const l = Math.floor((e.clientY - r.top) / CELL)
          if (l >= 0 && l < layers.length && h >= 0 && h < numHeads) onSelect(l, h)
        }}
      />
      <figcaption>{t('modelView.caption')}</figcaption>
    </figure>
  )
})
