import { createModelHost, engineComputeHandlers } from './engineMethods'
import { exportComputeHandlers } from './exportMethods'
import { inspectComputeHandlers } from './inspectMethods'
import { learnComputeHandlers } from './learnMethods'
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

/**
 * The child's handlers, made once by its entry (child.ts): one model host (the engine and
 * its loaded model) that chat and Inside share. A domain adds its methods here and their
 * types in protocol.ts.
 */
export function createComputeHandlers(): ComputeHandlers {
  const startedAt = Date.now()
  const host = createModelHost()
  return {
    ...engineComputeHandlers(host),
    ...inspectComputeHandlers(host),
    ...exportComputeHandlers(),
    ...spaceComputeHandlers(),
    ...learnComputeHandlers(host),
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
}
