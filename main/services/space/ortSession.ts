/**
 * onnxruntime for the space's heavy maths (cosine top-k, PCA's covariance and projection):
 * MLAS's SIMD kernels do in ~15 ms what a JS loop does in ~65 ms, and the work runs on ort's
 * own threads, so the host's event loop stays free while it runs. Loaded on first use, like
 * the space's models (modelPort.ts), so opening the app does not load the native library.
 */
import type * as Graph from '../../../native-models/onnx'
import type * as Session from '../../../native-models/onnx/session'

/** The graph builder and onnxruntime's sessions, as one module for the space's code. */
export type OnnxModule = typeof Graph & typeof Session
export type OrtSession = Session.OrtSession
export type OrtTensor = Session.OrtTensor

/** The library, loaded on first use (Node caches the modules after that). */
async function loadOnnx(): Promise<OnnxModule> {
  const [graph, session] = await Promise.all([
    import('../../../native-models/onnx'),
    import('../../../native-models/onnx/session'),
  ])
  return { ...graph, ...session }
}

/** A CPU session for a graph built with the project's builder. */
export async function createSpaceSession(
  build: (onnx: OnnxModule) => Graph.GraphBuilder,
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
