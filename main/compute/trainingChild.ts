// A training child's entry (child_process.fork): one run, from its settings to a model folder,
// reporting over typed messages. Child-safe: no database; the main process keeps the rows.
import { runTraining } from '../services/training/trainingRun'
import type { TrainingChildMessage, TrainingParentMessage } from './trainingProtocol'

function send(message: TrainingChildMessage): void {
  process.send?.(message)
}

const control = { paused: false, stop: false, wake: null as (() => void) | null }
let started = false

process.on('message', (message: TrainingParentMessage) => {
  if (message.type === 'start') {
    if (started) return
    started = true
    void run(message)
    return
  }
  if (message.type === 'pause') control.paused = true
  if (message.type === 'resume') control.paused = false
  if (message.type === 'stop') {
    control.stop = true
    control.paused = false
  }
  control.wake?.()
})

// The parent gone (app closed or crashed): end the run at once; its checkpoint stays.
process.on('disconnect', () => process.exit(0))

async function run(message: Extract<TrainingParentMessage, { type: 'start' }>): Promise<void> {
  try {
    const result = await runTraining(message.settings, {
      onFiles: (files, plan) => send({ type: 'files', files, plan }),
      onProgress: (progress) => send({ type: 'progress', progress }),
      onCheckpoint: (step) => send({ type: 'checkpoint', step }),
      shouldStop: () => control.stop,
      waitWhilePaused: async () => {
        while (control.paused && !control.stop) await new Promise<void>((r) => (control.wake = r))
        control.wake = null
      },
    })
    send({ type: 'done', result })
  } catch (err) {
    send({ type: 'failed', message: err instanceof Error ? err.message : String(err) })
  }
  // Let the last message leave before the process ends.
  process.disconnect?.()
}
