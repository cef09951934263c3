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
  /** false: idle intra-op threads sleep instead of spin-waiting after a run (ort's default
   *  is to spin, which pays for back-to-back runs but takes the CPU from JS beside them). */
  spinning?: boolean
  /** Profile every kernel run into `<prefix>_<time>.json` (written by endProfiling). */
  profilePrefix?: string
}

function sessionOptions(opts: SessionCreateOptions): ort.InferenceSession.SessionOptions {
  return {
    executionProviders: opts.executionProviders ?? ['cpu'],
    graphOptimizationLevel: opts.optimization ?? 'all',
    ...(opts.threads ? { intraOpNumThreads: opts.threads } : {}),
    ...(opts.quiet ? { logSeverityLevel: 4 as const } : {}),
    ...(opts.spinning === false ? { extra: { session: { 'intra_op.allow_spinning': '0' } } } : {}),
    ...(opts.profilePrefix ? { enableProfiling: true, profileFilePrefix: opts.profilePrefix } : {}),
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
