import type { onnx } from 'onnx-proto'
import * as ort from 'onnxruntime-node'
import { appendBackward } from '../autodiff/backward'
import { GraphEditor, type FloatType } from '../autodiff/graphEditor'
import { graphToFloat64 } from './float64'
import { appendCrossEntropy } from './lossAndOptimizer'
import { cloneModel, outputInfo, probeShapes } from './ortGraph'

// The training graph: the model's own forward graph, the next-token loss and the backward
// pass appended by our autodiff, as one ONNX graph that onnxruntime-node runs. Inputs:
// trainable parameters and a token batch; outputs: the loss and each parameter's gradient
// (the optimizer step runs in the Trainer, over the parameters in place).

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
  /** 'gradients' = loss and gradients; 'eval' = loss only, parameters still fed (validation). */
  mode?: 'gradients' | 'eval'
  floatType?: FloatType
}

export interface TrainingGraph {
  model: onnx.IModelProto
  /** Graph input names: params[i] and the gradient output grads[i] belong to trainable[i]. */
  params: string[]
  /** Gradient outputs (mode 'gradients'). */
  grads: string[]
  shapes: number[][]
  /** The trainable parameters' starting values, taken from the forward graph. */
  initial: Float32Array[] | Float64Array[]
}

export const TRAIN_INPUTS = {
  targets: 'train/targets',
  lossMask: 'train/loss_mask',
  loss: 'train/loss',
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
  const mode = spec.mode ?? 'gradients'
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
      grads: [],
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
  grads.forEach((gr, i) => graph.output.push(info(gr, floatType, paramShapes[i])))
  return {
    model,
    params: spec.trainable,
    grads,
    shapes: paramShapes,
    initial: initial as Float32Array[] | Float64Array[],
  }
}
