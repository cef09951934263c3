// The typed messages between the main process and the compute child. The child owns
// onnxruntime (see ../../shared/ARCHITECTURE.md "Heavy work"): a native crash or OOM there
// never takes down the app or the database.

/** Every call the child answers: its input, its result, and the events it streams meanwhile. */
import type { EngineComputeMethods } from './engineMethods'
import type { ExportComputeMethods } from './exportMethods'
import type { SpaceComputeMethods } from './spaceMethods'
import type { InspectComputeMethods } from './inspectMethods'
import type { LearnComputeMethods } from './learnMethods'

export interface ComputeMethods
  extends
    EngineComputeMethods,
    InspectComputeMethods,
    ExportComputeMethods,
    SpaceComputeMethods,
    LearnComputeMethods {
  health: {
    input: Record<string, never>
    output: { ok: true; pid: number; uptimeMs: number; rssBytes: number; node: string }
    event: never
  }
  /** Exits the child at once (tests and the crash drill): the call never answers. */
  crash: { input: { exitCode?: number }; output: never; event: never }
  /** Streams `count` ticks then answers: proves events flow while a call runs. */
  ticks: {
    input: { count: number; intervalMs?: number }
    output: { count: number }
    event: { index: number }
  }
}

export type ComputeMethod = keyof ComputeMethods
export type ComputeInput<M extends ComputeMethod> = ComputeMethods[M]['input']
export type ComputeOutput<M extends ComputeMethod> = ComputeMethods[M]['output']
export type ComputeEvent<M extends ComputeMethod> = ComputeMethods[M]['event']

export interface ComputeErrorShape {
  code: string
  message: string
}

/** Parent → child. */
export type ParentMessage =
  | {
      [M in ComputeMethod]: { type: 'request'; id: number; method: M; input: ComputeInput<M> }
    }[ComputeMethod]
  | { type: 'cancel'; id: number }

/** Child → parent. */
export type ChildMessage =
  | { type: 'ready'; pid: number }
  | { type: 'response'; id: number; ok: true; value: unknown }
  | { type: 'response'; id: number; ok: false; error: ComputeErrorShape }
  | { type: 'event'; id: number; payload: unknown }

export function isChildMessage(value: unknown): value is ChildMessage {
  if (typeof value !== 'object' || value === null) return false
  const type = (value as { type?: unknown }).type
  return type === 'ready' || type === 'response' || type === 'event'
}
