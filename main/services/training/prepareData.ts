import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { PackedData } from '../../../native-models/training/packing'

export interface DataJob {
  texts: string[]
  tokenizerJson: object
  tokenizerConfig: object
  seqLen: number
  eosId: number
  heldOutFraction: number
  seed: number
}

export interface DataResult {
  train: PackedData
  heldOut: PackedData
  /** Tokens in all accepted texts (before packing). */
  tokens: number
}

/**
 * Tokenizes and packs texts in a worker thread. From TypeScript sources (tests, tsx) the
 * worker runs through tsx; the built app loads the bundled .js beside this module.
 */
export function prepareData(
  job: DataJob,
  onProgress?: (done: number, total: number) => void,
  signal?: AbortSignal,
): Promise<DataResult> {
  // The build puts the worker in out/main, beside this code or one folder up from a chunk.
  const built = ['./dataWorker.js', '../dataWorker.js']
    .map((p) => fileURLToPath(new URL(p, import.meta.url)))
    .find((p) => existsSync(p))
  // From sources (tests, tsx) the .ts worker runs through tsx's require hook from a small
  // eval bootstrap (Node 20 workers ignore --import).
  const source = fileURLToPath(new URL('./dataWorker.ts', import.meta.url))
  if (!built && !existsSync(source))
    throw new Error(`the training data worker is missing from this build (${source})`)
  const worker = built
    ? new Worker(built, { workerData: job })
    : new Worker(`require('tsx/cjs/api').register(); require(${JSON.stringify(source)})`, {
        eval: true,
        workerData: job,
        execArgv: [],
      })
  return new Promise((resolve, reject) => {
    signal?.addEventListener('abort', () => {
      void worker.terminate()
      reject(new Error('data preparation cancelled'))
    })
    worker.on(
      'message',
      (
        m: { type: 'progress'; done: number; total: number } | { type: 'done'; result: DataResult },
      ) => {
        if (m.type === 'progress') onProgress?.(m.done, m.total)
        else {
          resolve(m.result)
          void worker.terminate()
        }
      },
    )
    worker.on('error', reject)
    worker.on(
      'exit',
      (code) => code !== 0 && reject(new Error(`data worker exited with code ${code}`)),
    )
  })
}
