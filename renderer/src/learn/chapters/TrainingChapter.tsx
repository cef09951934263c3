import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api } from '../../platform'
import { TrainView, type TrainPreset } from '../../training/TrainView'
import { ChapterLayout } from '../ChapterLayout'

// A short text, repeated so that 30 small steps see it several times and the loss visibly
// falls (the same settings the Train tab's own end-to-end test uses).
const RHYME = [
  'Twinkle, twinkle, little star, how I wonder what you are.',
  'Up above the world so high, like a diamond in the sky.',
  'When the blazing sun is gone, when he nothing shines upon,',
  'then you show your little light, twinkle, twinkle, all the night.',
].join('\n')

const PRESET: TrainPreset = {
  files: [{ name: 'twinkle.txt', text: Array.from({ length: 12 }, () => RHYME).join('\n\n') }],
  settings: { mode: 'full', maxSteps: 30, batchSize: 2, seqLen: 32 },
}

interface LossSeen {
  runId: number
  first: { step: number; loss: number }
  last: { step: number; loss: number }
}

/** Chapter 8: training as next-token prediction, the loss falling as it runs. */
export function TrainingChapter() {
  const { t } = useTranslation('learn')
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
          <p>{t('training.p2')}</p>
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
          <p className="hint">{t('training.try')}</p>
        </>
      }
      tab="train"
    >
      <TrainView preset={PRESET} />
    </ChapterLayout>
  )
}
