import * as ort from 'onnxruntime-node'
import type { onnx } from 'onnx-proto'
import { buildInferenceGraph, IO, type ArchConfig, type WeightSource } from '../arch'
import { toModelProto } from '../onnx'

// The architectures' own inference graph, prepared for training: the KV cache is fed empty
// (so attention covers exactly the batch's tokens), logits are kept for every position, and
// every weight initializer is a trainable parameter.

export interface TrainableForward {
  cfg: ArchConfig
  model: onnx.ModelProto
  /** Weight names in the graph (HF names; see `toHfLayout` for the stored orientation). */
  weights: string[]
  fixedInputs(batch: number, seqLen: number): Record<string, ort.Tensor>
}

export function trainableForward(cfg: ArchConfig, weights: WeightSource): TrainableForward {
  const ctx = buildInferenceGraph(cfg, weights, {})
  const { proto } = toModelProto(ctx.b)
  const names = new Set(weights.names())
  const inGraph = ctx.b.initializers.map((i) => i.name).filter((n) => names.has(n))
  return {
    cfg,
    model: proto,
    weights: inGraph,
    fixedInputs(batch, seqLen) {
      const feeds: Record<string, ort.Tensor> = {
        [IO.lastN]: new ort.Tensor('int64', BigInt64Array.of(BigInt(seqLen)), [1]),
      }
      for (let i = 0; i < cfg.numLayers; i++) {
        const empty = (): ort.Tensor =>
          new ort.Tensor('float32', new Float32Array(0), [batch, cfg.numKvHeads, 0, cfg.headDim])
        feeds[IO.pastKey(i)] = empty()
        feeds[IO.pastValue(i)] = empty()
      }
      return feeds
    },
  }
}

/**
 * Whether the graph stores this weight transposed relative to the HF checkpoint: the
 * Llama family's nn.Linear weights are [out, in] in HF and [in, out] in our graph (MatMul
 * reads them that way); GPT-2's Conv1D weights are [in, out] in both.
 */
export function storedTransposed(cfg: ArchConfig, name: string): boolean {
  return cfg.family !== 'gpt2' && name.endsWith('_proj.weight')
}

export function transpose2d(w: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(w.length)
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = w[r * cols + c]
  return out
}

/** A trained parameter in the checkpoint's own layout and shape. */
export function toHfLayout(
  cfg: ArchConfig,
  name: string,
  graphShape: number[],
  data: Float32Array,
): { name: string; shape: number[]; data: Float32Array } {
  if (!storedTransposed(cfg, name)) return { name, shape: graphShape, data }
  const [rows, cols] = graphShape
  return { name, shape: [cols, rows], data: transpose2d(data, rows, cols) }
}
