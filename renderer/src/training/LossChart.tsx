import { useEffect, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'

export interface LossPoint {
  step: number
  trainLoss: number
  valLoss: number | null
}

const chartData = (points: LossPoint[]): uPlot.AlignedData =>
  [
    points.map((p) => p.step),
    points.map((p) => p.trainLoss),
    points.map((p) => p.valLoss),
  ] as uPlot.AlignedData

/** Train and validation loss per step; one uPlot instance, its data replaced in place. */
export function LossChart({
  points,
  width = 520,
  height = 220,
}: {
  points: LossPoint[]
  width?: number
  height?: number
}) {
  const { t, i18n } = useTranslation('train')
  const host = useRef<HTMLDivElement>(null)
  const plot = useRef<uPlot | null>(null)
  const latest = useRef(points)

  // Rebuilt when the language changes: uPlot takes its labels only when it is made.
  useEffect(() => {
    if (!host.current) return
    plot.current = new uPlot(
      {
        width,
        height,
        scales: { x: { time: false } },
        axes: [{ label: t('chart.step') }, { label: t('chart.loss') }],
        series: [
          { label: t('chart.step') },
          { label: t('chart.train'), stroke: '#3b82f6', width: 2 },
          {
            label: t('chart.validation'),
            stroke: '#f97316',
            width: 2,
            spanGaps: true,
            points: { size: 6 },
          },
        ],
      },
      chartData(latest.current),
      host.current,
    )
    return () => plot.current?.destroy()
  }, [t, i18n.language, width, height])

  useEffect(() => {
    latest.current = points
    plot.current?.setData(chartData(points))
  }, [points])

  return (
    <div ref={host} className="loss-chart" data-testid="loss-chart" data-points={points.length} />
  )
}
