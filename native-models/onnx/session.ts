import * as ort from 'onnxruntime-node'

export type OrtSession = ort.InferenceSession
export type OrtTensor = ort.Tensor
export { ort }

export interface SessionCreateOptions {
  executionProviders?: string[]
  threads?: number
  /** ort graph optimization level (default 'all'). */
  optimization?: 'disabled' | 'basic' | 'extended' | 'all'
  /** Only fatal ort messages. */
  quiet?: boolean
}

function sessionOptions(opts: SessionCreateOptions): ort.InferenceSession.SessionOptions {
  return {
    executionProviders: opts.executionProviders ?? ['cpu'],
    graphOptimizationLevel: opts.optimization ?? 'all',
    ...(opts.threads ? { intraOpNumThreads: opts.threads } : {}),
    ...(opts.quiet ? { logSeverityLevel: 4 as const } : {}),
  }
}

/** An ort session for serialized model bytes (from `serializeModel`). */
export function createSessionFromBytes(
  bytes: Uint8Array,
  opts: SessionCreateOptions = {},
): Promise<OrtSession> {
  return ort.InferenceSession.create(bytes, sessionOptions(opts))
}

/** An ort session for a model file on disk (external data resolved beside it). */
export function createSessionFromFile(
  path: string,
  opts: SessionCreateOptions = {},
): Promise<OrtSession> {
  return ort.InferenceSession.create(path, sessionOptions(opts))
}
