import { useEffect, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'

/** One loss per step; one uPlot instance whose data is replaced in place as steps arrive. */
export function StepLossChart({ losses }: { losses: number[] }) {
  const { t } = useTranslation('learnViews')
  const host = useRef<HTMLDivElement>(null)
  const plot = useRef<uPlot | null>(null)
  const step = t('word2vec.stepAxis')
  const loss = t('word2vec.lossAxis')

  useEffect(() => {
    if (!host.current) return
    plot.current = new uPlot(
      {
        width: 540,
        height: 200,
        legend: { show: false },
        scales: { x: { time: false } },
        axes: [
          { label: step, stroke: '#9aa3b2' },
          { label: loss, stroke: '#9aa3b2' },
        ],
        series: [{}, { label: loss, stroke: '#7aa2ff', width: 2 }],
      },
      [[], []],
      host.current,
    )
    return () => plot.current?.destroy()
  }, [step, loss])

  useEffect(() => {
    plot.current?.setData([losses.map((_, i) => i + 1), losses] as uPlot.AlignedData)
  }, [losses, step, loss])

  return <div ref={host} data-testid="w2v-loss-chart" data-points={losses.length} />
}
