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

/** The library, loaded on first use (Node caches the module after that). */
function loadOnnx(): Promise<OnnxModule> {
  return import('../../../native-models/onnx')
}

/** A CPU session for a graph built with the project's builder. */
export async function createSpaceSession(
  build: (onnx: OnnxModule) => Onnx.GraphBuilder,
): Promise<{ onnx: OnnxModule; session: OrtSession }> {
  const onnx = await loadOnnx()
  // Idle ort threads spin-wait after each run by default; on a 2-core machine that took the
  // CPU from the JS thread (measured: a JS loop beside it went from 65 to 350 ms).
  const session = await onnx.createSessionFromBytes(onnx.serializeModel(build(onnx)), {
    quiet: true,
    spinning: false,
  })
  return { onnx, session }
}
