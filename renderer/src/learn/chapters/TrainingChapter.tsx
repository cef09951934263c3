import { useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api } from '../../platform'
import { TrainView, type TrainPreset } from '../../training/TrainView'
import { ChapterLayout } from '../ChapterLayout'
import { COURSE_FILE, SCRATCH_SETTINGS } from '../courseText'
import { useScratchModels } from '../useScratchModels'

interface LossSeen {
  runId: number
  first: { step: number; loss: number }
  last: { step: number; loss: number }
}

const SIZES = ['medium'] as const

/** Chapter 8: an untrained model learns a text by next-token prediction; the loss falls. */
export function TrainingChapter() {
  const { t, i18n } = useTranslation('learn')
  const { models, error } = useScratchModels(SIZES)
  const model = models?.[0]
  const preset = useMemo<TrainPreset | null>(
    () =>
      model ? { modelDir: model.modelDir, files: [COURSE_FILE], settings: SCRATCH_SETTINGS } : null,
    [model],
  )
  const [seen, setSeen] = useState<LossSeen | null>(null)
  // The newest run started while the chapter is open is the one the view shows.
  useEffect(
    () =>
      api.on('training.progress', (p) => {
        const point = { step: p.step, loss: p.trainLoss }
        setSeen((s) =>
          s && s.runId === p.runId
            ? { ...s, last: point }
            : !s || p.runId > s.runId
              ? { runId: p.runId, first: point, last: point }
              : s,
        )
      }),
    [],
  )
  return (
    <ChapterLayout
      text={
        <>
          <p>{t('training.p1')}</p>
          {model && (
            <p data-testid="learn-scratch-model">
              {t('training.p2', {
                params: new Intl.NumberFormat(i18n.language).format(model.parameterCount),
                steps: SCRATCH_SETTINGS.maxSteps ?? 0,
              })}
            </p>
          )}
          {error && <p className="learn-error">{error}</p>}
          {seen && (
            <p data-testid="learn-loss" data-first={seen.first.loss} data-last={seen.last.loss}>
              {t('training.loss', {
                first: seen.first.loss.toFixed(3),
                firstStep: seen.first.step,
                last: seen.last.loss.toFixed(3),
                lastStep: seen.last.step,
              })}
            </p>
          )}
          <p>{t('training.p3')}</p>
          <p className="hint">{t('training.try')}</p>
        </>
      }
      tab="train"
    >
      {preset && <TrainView preset={preset} />}
    </ChapterLayout>
  )
}
