// The chat path and the bare decode step side by side, token by token, for bench/chat.ts.
// On a shared machine the load drifts by tens of percent within a minute, so comparing a
// chat run with a bare run made before or after it measures the drift; here every token's
// bare step runs beside the chat path's own, on a twin session (same model, position, token).
import { PerformanceObserver } from 'node:perf_hooks'
import { createRng } from '../main/services/engine/sampling'
import type { ChatModel } from '../main/services/engine/types'
import type { StepLogits } from '../native-models/runtime/types'

export interface TwinLog {
  /** Every decode step of both sessions, in performance.now() time. */
  steps: { side: 'chat' | 'bare'; start: number; end: number }[]
  /** The bare side's first logits (vocab-sized, real, with the graph's summary), for the
   * component timings. */
  logits: StepLogits[]
}

/**
 * The model, with each session shadowed by a twin fed the same tokens. Per token the twin's
 * step runs before or after the chat path's own, in a seeded random order: a fixed or
 * alternating order could line up with the GC's own rhythm and always hand it one side.
 */
export function withBareTwin(model: ChatModel, log: TwinLog): ChatModel {
  const coin = createRng(7)
  return {
    ...model,
    newSession: () => {
      const real = model.newSession()
      const twin = model.newSession()
      const timed = async (side: 'chat' | 'bare', id: number) => {
        const start = performance.now()
        const logits = await (side === 'chat' ? real : twin).decode(id)
        log.steps.push({ side, start, end: performance.now() })
        if (side === 'bare' && log.logits.length < 16) {
          log.logits.push(Object.assign(logits.slice(), { summary: logits.summary }))
        }
        return logits
      }
      return {
        prefill: async (ids) => {
          await twin.prefill(ids)
          return real.prefill(ids)
        },
        decode: async (id) => {
          if (coin() < 0.5) {
            await timed('bare', id)
            return timed('chat', id)
          }
          const logits = await timed('chat', id)
          await timed('bare', id)
          return logits
        },
        truncate: (n) => {
          twin.truncate(n)
          real.truncate(n)
        },
        dispose: async () => {
          await twin.dispose()
          await real.dispose()
        },
      }
    },
  }
}

/** GC pauses (perf_hooks 'gc' entries, performance.now() time) while `fn` runs. */
export async function withGcLog<T>(
  fn: () => Promise<T>,
): Promise<{ value: T; gcs: { start: number; end: number }[] }> {
  const gcs: { start: number; end: number }[] = []
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries())
      gcs.push({ start: e.startTime, end: e.startTime + e.duration })
  })
  observer.observe({ entryTypes: ['gc'] })
  const value = await fn()
  // Entries are delivered asynchronously: let the last ones arrive.
  await new Promise((resolve) => setTimeout(resolve, 20))
  observer.disconnect()
  return { value, gcs }
}

export interface SideBySide {
  /** Per token: the chat path (its decode step, sampling, text, events) and the bare step. */
  chatMs: number
  bareMs: number
  /** Per token: GC that ran between decode steps, not inside one. */
  gcBetweenMs: number
  /** chat / bare - 1, with the GC between steps split evenly between the two decode steps. */
  overhead: number
  /** The same with all of that GC charged to the chat path (as a bench timing only the
   *  decode calls does). */
  overheadGcOnChat: number
}

/**
 * One chat run's span from its first token to its last: the bare steps are the twin's;
 * everything else is the chat path. GC between steps is mostly the decode's own garbage
 * (onnxruntime-node copies every preallocated KV output into a fresh buffer per run), so
 * each of the token's two decode steps is charged half of it.
 */
export function sideBySide(
  span: { start: number; end: number; tokens: number },
  log: TwinLog,
  gcs: { start: number; end: number }[],
): SideBySide {
  const steps = log.steps.filter((s) => s.start >= span.start && s.end <= span.end)
  const bareTotal = steps.filter((s) => s.side === 'bare').reduce((a, s) => a + s.end - s.start, 0)
  const inStep = (t: number) => steps.some((s) => s.start <= t && t <= s.end)
  const gcBetween = gcs
    .filter((g) => g.start >= span.start && g.end <= span.end && !inStep((g.start + g.end) / 2))
    .reduce((a, g) => a + g.end - g.start, 0)
  const n = span.tokens - 1
  const wall = span.end - span.start
  const chatMs = (wall - bareTotal - gcBetween / 2) / n
  const bareMs = (bareTotal + gcBetween / 2) / n
  return {
    chatMs,
    bareMs,
    gcBetweenMs: gcBetween / n,
    overhead: chatMs / bareMs - 1,
    overheadGcOnChat: (wall - bareTotal) / bareTotal - 1,
  }
}
