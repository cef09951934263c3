import * as ort from 'onnxruntime-node'
import type { onnx } from 'onnx-proto'
import type { ArchConfig } from '../arch'
import { cloneModel } from './ortGraph'
import { seededRandom } from './packing'
import { transpose2d } from './modelTraining'

// LoRA (Hu et al. 2021, "Low-Rank Adaptation of Large Language Models", §4.1): a frozen
// weight W gains a trainable low-rank update, h = xW + (α/r)·x·Aᵀ·Bᵀ with A [r, in] and
// B [out, r]; A starts like PEFT's (Kaiming-uniform), B at zero, so training starts from the
// base model exactly. Only A and B are graph inputs; W stays a frozen initializer.

export interface LoraOptions {
  rank: number
  alpha: number
  /** Module names, e.g. q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj (GPT-2: c_attn, c_proj, c_fc). */
  targets: string[]
  seed?: number
  /**
   * Dropout on the adapter's input (PEFT's lora_dropout). The masks are graph inputs that
   * the loop draws from (seed, step), so a resumed run sees the same masks as an
   * uninterrupted one; the evaluation graph is built with dropout 0.
   */
  dropout?: number
}

export const DEFAULT_LORA_TARGETS = [
  'q_proj',
  'k_proj',
  'v_proj',
  'o_proj',
  'gate_proj',
  'up_proj',
  'down_proj',
  // Phi-3's packed projections (PEFT's target_modules for Phi-3 name these).
  'qkv_proj',
  'gate_up_proj',
  'c_attn',
  'c_proj',
  'c_fc',
]

export interface LoraModule {
  /** HF module path, e.g. model.layers.0.self_attn.q_proj */
  module: string
  weight: string
  inFeatures: number
  outFeatures: number
  /** Graph initializer names; the graph stores Aᵀ [in, r] and Bᵀ [r, out] so MatMul reads them directly. */
  aName: string
  bName: string
}

export interface LoraGraph {
  model: onnx.ModelProto
  modules: LoraModule[]
  trainable: string[]
  scale: number
  /** Dropout mask inputs ([batch, seq, in] each, values 0 or 1/(1-p)), when dropout > 0. */
  dropoutMasks: { name: string; inFeatures: number }[]
}

function floats(t: onnx.ITensorProto): Float32Array {
  const raw = t.rawData!
  return new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength))
}

/** Adds LoRA adapters to every MatMul whose weight belongs to a target module. */
export function addLoraAdapters(forward: onnx.IModelProto, o: LoraOptions): LoraGraph {
  const model = cloneModel(forward)
  const graph = model.graph as onnx.GraphProto
  const inits = new Map(graph.initializer.map((t) => [t.name, t]))
  const rand = seededRandom(o.seed ?? 0)
  const scale = o.alpha / o.rank
  const modules: LoraModule[] = []
  const dropoutMasks: LoraGraph['dropoutMasks'] = []
  const nodes: onnx.INodeProto[] = []
  const tensor = (name: string, dims: number[], data: Float32Array): onnx.TensorProto =>
    ({ name, dataType: 1, dims, rawData: new Uint8Array(data.buffer) }) as onnx.TensorProto
  graph.initializer.push(tensor('lora/scale', [], Float32Array.of(scale)))
  for (const node of graph.node) {
    nodes.push(node)
    const w = node.input?.[1]
    if (node.opType !== 'MatMul' || !w || !inits.has(w) || !w.endsWith('.weight')) continue
    const module = w.slice(0, -'.weight'.length)
    if (!o.targets.includes(module.split('.').pop()!)) continue
    const [inF, outF] = (inits.get(w)!.dims ?? []).map(Number)
    const aName = `${module}.lora_A.weight`
    const bName = `${module}.lora_B.weight`
    // PEFT's init: kaiming_uniform_(A, a=√5) → U(-1/√in, 1/√in); B = 0.
    const bound = 1 / Math.sqrt(inF)
    const a = Float32Array.from({ length: inF * o.rank }, () => (rand() * 2 - 1) * bound)
    graph.initializer.push(
      tensor(aName, [inF, o.rank], a),
      tensor(bName, [o.rank, outF], new Float32Array(o.rank * outF)),
    )
    const base = `${node.output![0]}/base`
    const out = node.output![0]
    node.output = [base]
    const xa = `${module}/lora_xa`
    const xab = `${module}/lora_xab`
    const scaled = `${module}/lora_scaled`
    let x = node.input![0]
    if ((o.dropout ?? 0) > 0) {
      const mask = `lora/dropout/${module}`
      graph.input.push({ name: mask, type: { tensorType: { elemType: 1 } } } as onnx.ValueInfoProto)
      nodes.push({
        opType: 'Mul',
        input: [x, mask],
        output: [`${module}/lora_dropped`],
        name: `${module}/lora_dropped`,
      })
      x = `${module}/lora_dropped`
      dropoutMasks.push({ name: mask, inFeatures: inF })
    }
    nodes.push(
      { opType: 'MatMul', input: [x, aName], output: [xa], name: xa },
      { opType: 'MatMul', input: [xa, bName], output: [xab], name: xab },
      { opType: 'Mul', input: [xab, 'lora/scale'], output: [scaled], name: scaled },
      { opType: 'Add', input: [base, scaled], output: [out], name: `${module}/lora_add` },
    )
    modules.push({ module, weight: w, inFeatures: inF, outFeatures: outF, aName, bName })
  }
  if (modules.length === 0) throw new Error(`no LoRA target found among ${o.targets.join(', ')}`)
  graph.node = nodes as onnx.NodeProto[]
  return {
    model,
    modules,
    trainable: modules.flatMap((m) => [m.aName, m.bName]),
    scale,
    dropoutMasks,
  }
}

/** Inverted-dropout masks for one step, a pure function of (seed, step). */
export function dropoutMasks(
  lora: LoraGraph,
  p: number,
  batch: number,
  seqLen: number,
  seed: number,
  step: number,
): Record<string, ort.Tensor> {
  const rand = seededRandom((seed * 7919 + step * 104729) >>> 0)
  const keep = 1 / (1 - p)
  return Object.fromEntries(
    lora.dropoutMasks.map((m) => {
      const data = new Float32Array(batch * seqLen * m.inFeatures)
      for (let i = 0; i < data.length; i++) data[i] = rand() < p ? 0 : keep
      return [m.name, new ort.Tensor('float32', data, [batch, seqLen, m.inFeatures])]
    }),
  )
}

/** Initial adapter values as stored in the LoRA graph. */
export function loraInitial(lora: LoraGraph): Map<string, Float32Array> {
  const inits = new Map((lora.model.graph!.initializer ?? []).map((t) => [t.name!, t]))
  return new Map(lora.trainable.map((n) => [n, floats(inits.get(n)!)]))
}

/** W + (α/r)·AᵀBᵀ in the graph's [in, out] layout. */
export function mergeLora(
  base: Float32Array,
  m: LoraModule,
  a: Float32Array,
  b: Float32Array,
  scale: number,
  rank: number,
): Float32Array {
  const out = Float32Array.from(base)
  for (let i = 0; i < m.inFeatures; i++) {
    for (let r = 0; r < rank; r++) {
      const air = a[i * rank + r] * scale
      if (air === 0) continue
      const row = i * m.outFeatures
      const brow = r * m.outFeatures
      for (let j = 0; j < m.outFeatures; j++) out[row + j] += air * b[brow + j]
    }
  }
  return out
}

/**
 * PEFT's files for the trained adapter: tensor names as PeftModel saves them
 * (base_model.model.<module>.lora_A.weight [r, in], lora_B.weight [out, r]) and its config.
 */
export function peftAdapter(
  cfg: ArchConfig,
  lora: LoraGraph,
  values: Map<string, Float32Array>,
  o: LoraOptions,
  baseModel: string,
): {
  config: Record<string, unknown>
  tensors: { name: string; shape: number[]; data: Float32Array }[]
} {
  const tensors = lora.modules.flatMap((m) => [
    {
      name: `base_model.model.${m.module}.lora_A.weight`,
      shape: [o.rank, m.inFeatures],
      data: transpose2d(values.get(m.aName)!, m.inFeatures, o.rank),
    },
    {
      name: `base_model.model.${m.module}.lora_B.weight`,
      shape: [m.outFeatures, o.rank],
      data: transpose2d(values.get(m.bName)!, o.rank, m.outFeatures),
    },
  ])
  const targets = [...new Set(lora.modules.map((m) => m.module.split('.').pop()!))]
  const config = {
    peft_type: 'LORA',
    task_type: 'CAUSAL_LM',
    base_model_name_or_path: baseModel,
    r: o.rank,
    lora_alpha: o.alpha,
    lora_dropout: o.dropout ?? 0,
    target_modules: targets,
    bias: 'none',
    // GPT-2's Conv1D stores weights [in, out]; PEFT needs to know to transpose.
    fan_in_fan_out: cfg.family === 'gpt2',
    inference_mode: true,
    init_lora_weights: true,
    modules_to_save: null,
  }
  return { config, tensors }
}
