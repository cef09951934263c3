import type { Handlers } from '../../contract/router'
import type { trainingMethods } from '../../contract/training'
import { inspectFiles } from './dataFiles'
import type { TrainingService } from './trainingService'

type TrainingHandlers = Pick<Handlers, keyof typeof trainingMethods>

export function createTrainingHandlers({
  training,
}: {
  training: TrainingService
}): TrainingHandlers {
  const ok = { ok: true }
  return {
    'training.inspectFiles': async ({ paths }) => ({ files: (await inspectFiles(paths)).verdicts }),
    'training.addFiles': ({ files }) => training.addFiles(files),
    'training.defaultSettings': ({ modelDir }) => training.defaults(modelDir),
    'training.planRun': ({ modelDir, paths, settings }) => training.plan(modelDir, paths, settings),
    'training.startRun': (input) => ({ runId: training.start(input) }),
    'training.pauseRun': ({ runId }) => (training.pause(runId), ok),
    'training.resumeRun': async ({ runId, acceptChangedData }) => {
      await training.resume(runId, { acceptChangedData })
      return ok
    },
    'training.cancelRun': ({ runId }) => (training.cancel(runId), ok),
    'training.listRuns': () => ({ runs: training.runs.list() }),
    'training.getRun': ({ runId }) => {
      const run = training.runs.get(runId)
      if (!run) throw new Error(`There is no training run ${runId}.`)
      return { run, metrics: training.runs.metrics(runId) }
    },
    'training.compare': ({ runId, prompt, maxTokens }) =>
      training.compare(runId, prompt, maxTokens),
  }
}
