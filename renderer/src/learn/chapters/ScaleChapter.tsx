import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ScratchSize } from '../../../../main/contract/learn'
import type { MethodInput } from '../../../../main/contract'
import { api } from '../../platform'
import { LossChart, type LossPoint } from '../../training/LossChart'
import { ChapterLayout } from '../ChapterLayout'
import { COURSE_FILE, SCRATCH_SETTINGS } from '../courseText'
import { useScratchModels } from '../useScratchModels'
import { useSelectedModel } from '../useSelectedModel'

const SIZES = ['small', 'medium', 'large'] as const
const STEPS = 150

/** Starts a run and resolves with its id once it has finished (rejects if it did not). */
async function runToEnd(
  input: MethodInput<'training.startRun'>,
  onStarted: (runId: number) => void,
): Promise<number> {
  // Listening before the start: a short run may end before startRun's answer arrives.
  const ended = new Map<number, { status: string; message?: string }>()
  let wake: () => void = () => undefined
  const off = api.on('training.status', (s) => {
    if (!['finished', 'failed', 'stopped'].includes(s.status)) return
    ended.set(s.runId, s)
    wake()
  })
  try {
    const { runId } = await api.call('training.startRun', input)
    onStarted(runId)
    while (!ended.has(runId)) await new Promise<void>((resolve) => (wake = resolve))
    const end = ended.get(runId)!
    if (end.status !== 'finished') throw new Error(end.message ?? end.status)
    return runId
  } finally {
    off()
  }
}

/** Chapter 9: the same text, three model sizes, the same steps; loss curves side by side. */
export function ScaleChapter() {
  const { t, i18n } = useTranslation('learn')
  const number = (n: number) => new Intl.NumberFormat(i18n.language).format(n)
  const { model, loaded } = useSelectedModel()
  const [params, setParams] = useState<{ path: string; count: number } | null>(null)
  const { models: scratch, error: scratchError } = useScratchModels(SIZES)
  const [runOf, setRunOf] = useState<Partial<Record<ScratchSize, number>>>({})
  const [curves, setCurves] = useState<Record<number, LossPoint[]>>({})
  const [running, setRunning] = useState<ScratchSize | null>(null)
  const [error, setError] = useState('')

  useEffect(() => {
    if (!model) return
    let live = true
    api
      .call('training.defaultSettings', { modelDir: model.path })
      .then((d) => live && setParams({ path: model.path, count: d.parameterCount }))
      .catch((err: unknown) => live && setError(err instanceof Error ? err.message : String(err)))
    return () => {
      live = false
    }
  }, [model])

  useEffect(
    () =>
      api.on('training.progress', (p) =>
        setCurves((c) => ({
          ...c,
          [p.runId]: [
            ...(c[p.runId] ?? []).filter((x) => x.step < p.step),
            { step: p.step, trainLoss: p.trainLoss, valLoss: p.valLoss },
          ],
        })),
      ),
    [],
  )

  // One after another, so that each gets the same share of the machine.
  const trainAll = async () => {
    if (!scratch) return
    setError('')
    setRunOf({})
    const dataBase64 = btoa(String.fromCharCode(...new TextEncoder().encode(COURSE_FILE.text)))
    const added = await api.call('training.addFiles', {
      files: [{ name: COURSE_FILE.name, dataBase64 }],
    })
    const paths = added.files.filter((f) => f.status === 'accepted').map((f) => f.path)
    for (const m of scratch) {
      setRunning(m.size)
      const { settings } = await api.call('training.defaultSettings', { modelDir: m.modelDir })
      await runToEnd(
        {
          modelDir: m.modelDir,
          paths,
          settings: { ...settings, ...SCRATCH_SETTINGS, maxSteps: STEPS },
        },
        (runId) => setRunOf((r) => ({ ...r, [m.size]: runId })),
      )
    }
  }

  const count = params && params.path === model?.path ? params.count : null
  return (
    <ChapterLayout
      text={
        <>
          {count !== null ? (
            <p data-testid="learn-params" data-count={count}>
              {t('scale.p1', { params: number(count) })}
            </p>
          ) : (
            <p className="hint">{loaded && !model ? t('noModel') : t('scale.loading')}</p>
          )}
          <p>{t('scale.p2')}</p>
          <p>{t('scale.p3', { steps: STEPS })}</p>
          {running && (
            <p className="hint">{t('scale.running', { size: t(`scale.sizes.${running}`) })}</p>
          )}
          {(error || scratchError) && <p className="learn-error">{error || scratchError}</p>}
        </>
      }
      tryThis={{
        label: t('scale.try'),
        disabled: !scratch || running !== null,
        onClick: () =>
          void trainAll()
            .catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)))
            .finally(() => setRunning(null)),
      }}
      tab="models"
    >
      <div className="learn-scale">
        {scratch?.map((m) => {
          const runId = runOf[m.size]
          const points = runId === undefined ? [] : (curves[runId] ?? [])
          const last = points.at(-1)
          return (
            <figure
              key={m.size}
              data-testid={`learn-scale-${m.size}`}
              data-steps={last?.step ?? 0}
              data-last={last?.trainLoss ?? ''}
            >
              <figcaption>
                {t('scale.curve', {
                  size: t(`scale.sizes.${m.size}`),
                  params: number(m.parameterCount),
                })}
              </figcaption>
              <LossChart points={points} width={250} height={180} />
              {last && (
                <p>{t('scale.final', { loss: last.trainLoss.toFixed(3), steps: last.step })}</p>
              )}
            </figure>
          )
        })}
      </div>
    </ChapterLayout>
  )
}
