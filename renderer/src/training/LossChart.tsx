import { useEffect, useRef } from 'react'
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'

export interface LossPoint {
  step: number
  trainLoss: number
  valLoss: number | null
}

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
  const host = useRef<HTMLDivElement>(null)
  const plot = useRef<uPlot | null>(null)

  useEffect(() => {
    if (!host.current) return
    plot.current = new uPlot(
      {
        width,
        height,
        scales: { x: { time: false } },
        axes: [{ label: 'step' }, { label: 'loss' }],
        series: [
          {},
          { label: 'train', stroke: '#3b82f6', width: 2 },
          { label: 'validation', stroke: '#f97316', width: 2, spanGaps: true, points: { size: 6 } },
        ],
      },
      [[], [], []],
      host.current,
    )
    return () => plot.current?.destroy()
  }, [width, height])

  useEffect(() => {
    plot.current?.setData([
      points.map((p) => p.step),
      points.map((p) => p.trainLoss),
      points.map((p) => p.valLoss),
    ] as uPlot.AlignedData)
  }, [points])

  return (
    <div ref={host} className="loss-chart" data-testid="loss-chart" data-points={points.length} />
  )
}
