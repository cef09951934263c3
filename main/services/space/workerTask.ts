/**
 * Runs a self-contained function in a worker_threads worker. The function travels as source
 * text (`fn.toString()`), so the same code runs under tsx (CLI), vitest and the electron-vite
 * build without a separate worker entry in the bundler config. The price: the function may
 * use only its arguments (no imports, no outer variables); Node modules come through
 * `ctx.require`.
 */
import { Worker } from 'node:worker_threads'

export interface TaskContext {
  require: (id: string) => unknown
  progress: (stage: string, done: number, total: number) => void
}

export type WorkerTaskFn<I, O> = (input: I, ctx: TaskContext) => O | Promise<O>

export class CancelledError extends Error {
  constructor() {
    super('Cancelled.')
    this.name = 'CancelledError'
  }
}

export interface RunningTask<O> {
  result: Promise<O>
  cancel: () => void
}

// esbuild (tsx, vite) may wrap named functions in __name(); give the worker a stand-in.
const PRELUDE = `
const { parentPort, workerData } = require('node:worker_threads');
const __name = (f) => f;
`

export function runWorkerTask<I, O>(
  fn: WorkerTaskFn<I, O>,
  input: I,
  onProgress?: (stage: string, done: number, total: number) => void,
  options: { maxOldGenerationSizeMb?: number } = {},
): RunningTask<O> {
  const source = `${PRELUDE}
const task = (${fn.toString()});
const ctx = {
  require,
  progress: (stage, done, total) => parentPort.postMessage({ kind: 'progress', stage, done, total }),
};
Promise.resolve()
  .then(() => task(workerData, ctx))
  .then(
    (value) => parentPort.postMessage({ kind: 'done', value }),
    (err) => parentPort.postMessage({ kind: 'error', message: err && err.stack ? err.stack : String(err) }),
  );
`
  const worker = new Worker(source, {
    eval: true,
    workerData: input,
    resourceLimits: { maxOldGenerationSizeMb: options.maxOldGenerationSizeMb ?? 4096 },
  })
  let settled = false
  let cancelled = false
  const result = new Promise<O>((resolve, reject) => {
    worker.on('message', (msg: { kind: string; [k: string]: unknown }) => {
      if (msg.kind === 'progress') {
        onProgress?.(msg.stage as string, msg.done as number, msg.total as number)
      } else if (msg.kind === 'done') {
        settled = true
        resolve(msg.value as O)
        void worker.terminate()
      } else if (msg.kind === 'error') {
        settled = true
        reject(new Error(String(msg.message)))
        void worker.terminate()
      }
    })
    worker.on('error', (err) => {
      settled = true
      reject(err)
    })
    worker.on('exit', (code) => {
      if (settled) return
      reject(
        cancelled
          ? new CancelledError()
          : new Error(`The worker stopped (exit code ${code}) before finishing.`),
      )
    })
  })
  return {
    result,
    cancel: () => {
      if (settled) return
      cancelled = true
      void worker.terminate()
    },
  }
}
