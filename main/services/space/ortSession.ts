/**
 * onnxruntime for the space's heavy maths (cosine top-k, PCA's covariance and projection):
 * MLAS's SIMD kernels do in ~15 ms what a JS loop does in ~65 ms, and the work runs on ort's
 * own threads, so the host's event loop stays free while it runs. Loaded on first use, like
 * the space's models (modelPort.ts), so opening the app does not load the native library.
 */
import type * as Onnx from '../../../native-models/onnx'

export type OnnxModule = typeof Onnx
export type OrtSession = Onnx.OrtSession
export type OrtTensor = Onnx.OrtTensor

let loading: Promise<OnnxModule> | null = null

export function loadOnnx(): Promise<OnnxModule> {
  loading ??= import('../../../native-models/onnx')
  return loading
}

/** A CPU session for a graph built with the project's builder. */
export async function createSpaceSession(
  build: (onnx: OnnxModule) => Onnx.GraphBuilder,
): Promise<{ onnx: OnnxModule; session: OrtSession }> {
  const onnx = await loadOnnx()
  const session = await onnx.ort.InferenceSession.create(onnx.serializeModel(build(onnx)), {
    executionProviders: ['cpu'],
    logSeverityLevel: 4,
    // Idle ort threads spin-wait after each run by default; on a 2-core machine that took
    // the CPU from the JS thread (measured: a JS loop beside it went from 65 to 350 ms).
    extra: { session: { 'intra_op.allow_spinning': '0' } },
  })
  return { onnx, session }
}
