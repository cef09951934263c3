import { memo } from 'react'
import { useTranslation } from 'react-i18next'
import { headMatrix } from './attentionMath'
import { HeatmapCanvas } from './HeatmapCanvas'

interface Props {
  layer: Float32Array
  numHeads: number
  seqLen: number
  head: number
  onSelectHead: (h: number) => void
}

/** Every head of one layer at a glance (BertViz's model view, one layer per row). Memoised:
 * repainting every thumbnail on each position step would be wasted work. */
export const HeadGrid = memo(function HeadGrid({
  layer,
  numHeads,
  seqLen,
  head,
  onSelectHead,
}: Props) {
  const { t } = useTranslation('inside')
  return (
    <div className="inside-headgrid" data-testid="head-grid">
      {Array.from({ length: numHeads }, (_, h) => (
        <button
          key={h}
          type="button"
          className={h === head ? 'selected' : ''}
          data-testid={`head-thumb-${h}`}
          title={t('headGrid.title', { head: h })}
          onClick={() => onSelectHead(h)}
        >
          <HeatmapCanvas matrix={headMatrix(layer, h, seqLen)} seqLen={seqLen} size={72} />
          <span>{t('headGrid.short', { head: h })}</span>
        </button>
      ))}
    </div>
  )
})
