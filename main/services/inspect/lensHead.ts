import { GraphBuilder, attr, serializeModel } from '../../../native-models/onnx'
import { createSessionFromBytes, ort, type OrtSession } from '../../../native-models/onnx/session'
import type { HeadWeights } from '../../../native-models/runtime/model'

export type { HeadWeights }

/** Top-1 token and its probability for each row of a residual-stream matrix. */
export type LensTop1 = (
  hidden: Float32Array,
  positions: number,
) => Promise<{ ids: number[]; probs: number[] }>

/**
 * The logit lens as one small onnxruntime graph: final norm → Gemm with the head → TopK(1)
 * and ReduceLogSumExp, so only two numbers per position leave the graph. Doing the head in
 * JavaScript costs seconds per layer on a 49k vocabulary (≈14 GFLOP for 256 positions of a
 * SmolLM2-sized model); here it runs on ort's multithreaded GEMM.
 */
export async function createLensHead(w: HeadWeights): Promise<LensTop1> {
  const hiddenSize = w.normWeight.length
  const vocab = w.head.length / hiddenSize
  const b = new GraphBuilder('logit_lens')
  const x = b.input('hidden', 'float32', ['n', hiddenSize])
  const scale = b.initializer('norm_weight', 'float32', [hiddenSize], w.normWeight)
  const normed =
    w.norm === 'rms'
      ? b.rmsNorm(x, scale, w.eps)
      : b.layerNorm(
          x,
          scale,
          w.normBias ? b.initializer('norm_bias', 'float32', [hiddenSize], w.normBias) : null,
          w.eps,
        )
  const head = b.initializer('head', 'float32', [vocab, hiddenSize], w.head)
  const logits = b.op('Gemm', [normed, head], { transB: attr.int(1) })[0]
  const [best, index] = b.op('TopK', [logits, b.ints([1])], { axis: attr.int(-1) }, { outputs: 2 })
  const lse = b.op('ReduceLogSumExp', [logits], { axes: attr.ints([-1]), keepdims: attr.int(1) })[0]
  b.output(b.exp(b.sub(best, lse)), 'prob')
  // TopK's indices are int64; the builder labels multi-output nodes with one dtype, so a
  // Cast gives the graph output a declared type that matches what ort produces.
  b.output(b.cast(index, 'int32'), 'token')
  const session: OrtSession = await createSessionFromBytes(serializeModel(b))

  return async (hidden, positions) => {
    const feeds = { hidden: new ort.Tensor('float32', hidden, [positions, hiddenSize]) }
    const out = await session.run(feeds)
    return {
      ids: Array.from(out.token.data as Int32Array),
      probs: Array.from(out.prob.data as Float32Array),
    }
  }
}
