import type { onnx } from 'onnx-proto'
import * as ort from 'onnxruntime-node'
import { appendBackward } from '../autodiff/backward'
import { GraphEditor, type FloatType } from '../autodiff/graphEditor'
import { graphToFloat64 } from './float64'
import {
  appendAdamW,
  appendCrossEntropy,
  DEFAULT_ADAMW,
  type AdamWOptions,
} from './lossAndOptimizer'
import { cloneModel, outputInfo, probeShapes } from './ortGraph'

// The training graph: the model's own forward graph, the next-token loss, the backward pass
// appended by our autodiff and an AdamW step, as one ONNX graph that onnxruntime-node runs.
// Inputs: trainable parameters, their Adam moments, a token batch, lr and step; outputs:
// loss, gradient norm, new parameters and moments.

export interface TrainingGraphSpec {
  forward: onnx.IModelProto
  /** The forward graph's token-id input, [batch, seq] int64. */
  inputIds: string
  /** The forward graph's logits output, [batch, seq, vocab]. */
  logits: string
  vocabSize: number
  batch: number
  seqLen: number
  /** Initializer names to train; every other initializer stays frozen in the graph. */
  trainable: string[]
  /** Inputs fed every step besides the batch (LoRA dropout masks): example values for the shape probe. */
  stepInputs?: Record<string, ort.Tensor>
  /** Other forward inputs, fixed for training (e.g. position ids): baked in as constants. */
  fixedInputs?: Record<string, ort.Tensor>
  /**
   * 'fused' = one optimizer step; 'gradients' = loss and gradients only (gradient
   * accumulation); 'eval' = loss only, parameters still fed as inputs (validation).
   */
  mode?: 'fused' | 'gradients' | 'eval'
  optimizer?: Partial<AdamWOptions>
  /** Which parameters get weight decay; default every matrix (rank ≥ 2), no norms or biases. */
  decay?: (name: string, dims: number[]) => boolean
  floatType?: FloatType
}

export interface TrainingGraph {
  model: onnx.IModelProto
  /** Graph input names: params[i], m[i], v[i] belong to trainable[i]. */
  params: string[]
  m: string[]
  v: string[]
  /** Gradient outputs (mode 'gradients'); new params/moments (mode 'fused'). */
  grads: string[]
  newParams: string[]
  newM: string[]
  newV: string[]
  shapes: number[][]
  /** The trainable parameters' starting values, taken from the forward graph. */
  initial: Float32Array[] | Float64Array[]
}

export const TRAIN_INPUTS = {
  targets: 'train/targets',
  lossMask: 'train/loss_mask',
  lr: 'train/lr',
  step: 'train/step',
  loss: 'train/loss',
  gradNorm: 'train/grad_norm',
}

function tensorToProto(name: string, t: ort.Tensor): onnx.ITensorProto {
  const data = t.data as ArrayBufferView
  const type = { float32: 1, float64: 11, int64: 7, int32: 6, bool: 9 }[t.type as string]
  if (!type) throw new Error(`fixed input ${name}: type ${t.type} unsupported`)
  return {
    name,
    dataType: type,
    dims: [...t.dims],
    rawData: new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength)),
  }
}

function readFloats(t: onnx.ITensorProto, type: FloatType): Float32Array | Float64Array {
  const raw = t.rawData!
  const buf = raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength)
  return type === 11 ? new Float64Array(buf) : new Float32Array(buf)
}

/** Drops nodes that no graph output depends on (the forward's KV-cache outputs, say). */
export function pruneDeadNodes(graph: onnx.IGraphProto): void {
  const live = new Set((graph.output ?? []).map((o) => o.name!))
  const kept: onnx.INodeProto[] = []
  for (const node of [...(graph.node ?? [])].reverse()) {
    if (!node.output!.some((o) => live.has(o))) continue
    kept.push(node)
    for (const i of node.input ?? []) if (i) live.add(i)
  }
  graph.node = kept.reverse()
  graph.initializer = (graph.initializer ?? []).filter((t) => live.has(t.name!))
  graph.input = (graph.input ?? []).filter((v) => live.has(v.name!))
}

export async function buildTrainingGraph(spec: TrainingGraphSpec): Promise<TrainingGraph> {
  const floatType = spec.floatType ?? 1
  const mode = spec.mode ?? 'fused'
  const opt = { ...DEFAULT_ADAMW, ...spec.optimizer }
  const model = cloneModel(spec.forward)
  const graph = model.graph as onnx.GraphProto
  const { batch, seqLen } = spec
  const fixed = spec.fixedInputs ?? {}
  graph.input = graph.input.filter((i) => !(i.name! in fixed))
  for (const [name, t] of Object.entries(fixed)) {
    graph.initializer.push(tensorToProto(name, t) as onnx.TensorProto)
  }
  if (floatType === 11) graphToFloat64(graph)

  // Forward + loss, probed once for the static shapes the backward rules use.
  const g = new GraphEditor(graph, floatType, 'train')
  graph.input.push(
    outputInfo(TRAIN_INPUTS.targets, 7) as onnx.ValueInfoProto,
    outputInfo(TRAIN_INPUTS.lossMask, floatType) as onnx.ValueInfoProto,
  )
  const loss = appendCrossEntropy(
    g,
    spec.logits,
    TRAIN_INPUTS.targets,
    TRAIN_INPUTS.lossMask,
    spec.vocabSize,
  )
  graph.node.push({
    opType: 'Identity',
    input: [loss],
    output: [TRAIN_INPUTS.loss],
    name: TRAIN_INPUTS.loss,
  })
  graph.output = [outputInfo(TRAIN_INPUTS.loss, floatType) as onnx.ValueInfoProto]
  pruneDeadNodes(graph)
  const tokens = new ort.Tensor('int64', new BigInt64Array(batch * seqLen), [batch, seqLen])
  const probeFeeds = {
    [spec.inputIds]: tokens,
    [TRAIN_INPUTS.targets]: tokens,
    [TRAIN_INPUTS.lossMask]:
      floatType === 11
        ? new ort.Tensor('float64', new Float64Array(batch * seqLen), [batch, seqLen])
        : new ort.Tensor('float32', new Float32Array(batch * seqLen), [batch, seqLen]),
  }
  const shapes = await probeShapes(model, { ...probeFeeds, ...spec.stepInputs })

  // Trainable initializers become inputs, fed each step.
  const byName = new Map(graph.initializer.map((t) => [t.name!, t]))
  const initial: (Float32Array | Float64Array)[] = []
  const paramShapes: number[][] = []
  for (const name of spec.trainable) {
    const t = byName.get(name)
    if (!t) throw new Error(`trainable parameter ${name} is not an initializer of the graph`)
    initial.push(readFloats(t, floatType))
    paramShapes.push((t.dims ?? []).map(Number))
  }
  const trainableSet = new Set(spec.trainable)
  graph.initializer = graph.initializer.filter((t) => !trainableSet.has(t.name!))
  const info = (name: string, type: number, dims: number[]): onnx.ValueInfoProto =>
    ({
      name,
      type: { tensorType: { elemType: type, shape: { dim: dims.map((d) => ({ dimValue: d })) } } },
    }) as onnx.ValueInfoProto
  spec.trainable.forEach((name, i) => graph.input.push(info(name, floatType, paramShapes[i])))

  if (mode === 'eval') {
    return {
      model,
      params: spec.trainable,
      m: [],
      v: [],
      grads: [],
      newParams: [],
      newM: [],
      newV: [],
      shapes: paramShapes,
      initial: initial as Float32Array[],
    }
  }
  const gradOf = appendBackward(graph, {
    loss: TRAIN_INPUTS.loss,
    wrt: spec.trainable,
    shapes,
    floatType,
  })
  const grads = spec.trainable.map((p) => gradOf.get(p)!)
  const result: TrainingGraph = {
    model,
    params: spec.trainable,
    m: spec.trainable.map((p) => `adam_m/${p}`),
    v: spec.trainable.map((p) => `adam_v/${p}`),
    grads,
    newParams: [],
    newM: [],
    newV: [],
    shapes: paramShapes,
    initial: initial as Float32Array[] | Float64Array[],
  }
  if (mode === 'gradients') {
    grads.forEach((gr, i) => graph.output.push(info(gr, floatType, paramShapes[i])))
    return result
  }

  graph.input.push(
    info(TRAIN_INPUTS.lr, floatType, []),
    info(TRAIN_INPUTS.step, floatType, []),
    ...result.m.map((n, i) => info(n, floatType, paramShapes[i])),
    ...result.v.map((n, i) => info(n, floatType, paramShapes[i])),
  )
  const decay = spec.decay ?? ((_name: string, dims: number[]) => dims.length >= 2)
  const out = appendAdamW(
    g,
    spec.trainable.map((p, i) => ({
      param: p,
      grad: grads[i],
      m: result.m[i],
      v: result.v[i],
      decay: decay(p, paramShapes[i]),
      outputs: { param: `new/${p}`, m: `new_m/${p}`, v: `new_v/${p}` },
    })),
    TRAIN_INPUTS.lr,
    TRAIN_INPUTS.step,
    opt,
  )
  graph.node.push({
    opType: 'Identity',
    input: [out.gradNorm],
    output: [TRAIN_INPUTS.gradNorm],
    name: TRAIN_INPUTS.gradNorm,
  } as onnx.NodeProto)
  graph.output.push(info(TRAIN_INPUTS.gradNorm, floatType, []))
  spec.trainable.forEach((p, i) => {
    result.newParams.push(out.params[i])
    result.newM.push(out.m[i])
    result.newV.push(out.v[i])
    for (const n of [out.params[i], out.m[i], out.v[i]]) {
      graph.output.push(info(n, floatType, paramShapes[i]))
    }
  })
  return result
}
