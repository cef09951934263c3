import { engineComputeHandlers } from './engineMethods'
import { exportComputeHandlers } from './exportMethods'
import { inspectComputeHandlers } from './inspectMethods'
import { spaceComputeHandlers } from './spaceMethods'
import type { ComputeInput, ComputeMethod, ComputeOutput, ComputeEvent } from './protocol'

export interface ComputeCallContext<M extends ComputeMethod> {
  emit(payload: ComputeEvent<M>): void
  /** Set when the parent cancels the call: long work checks it between steps. */
  signal: AbortSignal
}

export type ComputeHandlers = {
  [M in ComputeMethod]: (
    input: ComputeInput<M>,
    ctx: ComputeCallContext<M>,
  ) => Promise<ComputeOutput<M>> | ComputeOutput<M>
}

const startedAt = Date.now()

// The child's handlers. The engine (onnxruntime sessions, decode steps) adds its methods here
// and their types in protocol.ts.
export const computeHandlers: ComputeHandlers = {
  ...engineComputeHandlers,
  ...inspectComputeHandlers,
  ...exportComputeHandlers,
  ...spaceComputeHandlers,
  health: () => ({
    ok: true,
    pid: process.pid,
    uptimeMs: Date.now() - startedAt,
    rssBytes: process.memoryUsage().rss,
    node: process.version,
  }),
  crash: ({ exitCode }) => {
    process.exit(exitCode ?? 70)
  },
  ticks: async ({ count, intervalMs = 1 }, ctx) => {
    for (let index = 0; index < count; index++) {
      if (ctx.signal.aborted) break
      ctx.emit({ index })
      await new Promise((resolve) => setTimeout(resolve, intervalMs))
    }
    return { count }
  },
}
