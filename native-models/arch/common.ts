// Building blocks shared by the GPT-2 and Llama-family graphs.
import { GraphBuilder, MS_DOMAIN, attr, type Value } from '../onnx'
import { quantizeBlocks } from '../quant/blockQuant'
import type { ArchConfig } from './config'
import { ModelFormatError, type WeightSource } from './weights'

export type GraphQuantization = 'none' | 'int8' | 'int4'

export interface GraphOptions {
  /** Also output per-layer attention probabilities and hidden states. */
  insides?: boolean
  quantization?: GraphQuantization
  /** MatMulNBits accuracy_level (0: f32 activations; 4: int8 activations, faster). */
  accuracyLevel?: number
  /**
   * Attention as com.microsoft GroupQueryAttention over a KV cache that is one preallocated
   * buffer per layer, shared by past and present (ort writes the new rows in place, so a
   * decode step copies no cache). Inputs then include seqlens_k and total_sequence_length.
   * Not with `insides` (the fused op does not expose attention probabilities).
   */
  fusedAttention?: boolean
}

/** Graph I/O names (the KV cache is past_key_values.{i}.key/value → present.{i}.key/value). */
export const IO = {
  inputIds: 'input_ids',
  lastN: 'num_logits',
  /** Fused attention only: [batch] int32, total length − 1. */
  seqlensK: 'seqlens_k',
  /** Fused attention only: int32 scalar, cached + new tokens. */
  totalLength: 'total_sequence_length',
  logits: 'logits',
  pastKey: (i: number) => `past_key_values.${i}.key`,
  pastValue: (i: number) => `past_key_values.${i}.value`,
  presentKey: (i: number) => `present.${i}.key`,
  presentValue: (i: number) => `present.${i}.value`,
  attention: (i: number) => `attentions.${i}`,
  hidden: (i: number) => `hidden_states.${i}`,
}

export class GraphContext {
  readonly b = new GraphBuilder()
  constructor(
    readonly cfg: ArchConfig,
    readonly weights: WeightSource,
    readonly opts: GraphOptions,
  ) {}

  /** A weight as float32, its shape checked against what config.json implies. */
  weight(name: string, shape: number[]): Float32Array {
    const e = this.weights.entry(name)
    if (e.shape.length !== shape.length || e.shape.some((d, i) => d !== shape[i])) {
      throw new ModelFormatError(
        e.file,
        `tensor ${name} has shape [${e.shape}] but config.json implies [${shape}]`,
      )
    }
    return this.weights.f32(name)
  }

  param(name: string, shape: number[]): Value {
    return this.b.initializer(name, 'float32', shape, this.weight(name, shape))
  }

  /**
   * y = x·Wᵀ + bias for W stored as [out, in] (HF nn.Linear), or x·W + bias for W stored
   * as [in, out] (GPT-2's Conv1D). Quantized per the graph options.
   */
  linear(
    x: Value,
    name: string,
    inFeatures: number,
    outFeatures: number,
    layout: 'outIn' | 'inOut',
    biasName?: string,
  ): Value {
    const shape = layout === 'outIn' ? [outFeatures, inFeatures] : [inFeatures, outFeatures]
    const w = this.weight(name, shape)
    const q = this.opts.quantization ?? 'none'
    let y: Value
    if (q === 'none') {
      const kn = layout === 'inOut' ? w : transpose(w, outFeatures, inFeatures)
      y = this.b.matMul(x, this.b.initializer(name, 'float32', [inFeatures, outFeatures], kn))
    } else {
      const nk = layout === 'outIn' ? w : transpose(w, inFeatures, outFeatures)
      const bits = q === 'int4' ? 4 : 8
      const m = quantizeBlocks(nk, outFeatures, inFeatures, bits)
      const kBlocks = Math.ceil(inFeatures / m.blockSize)
      const packed = this.b.initializer(
        `${name}.q`,
        'uint8',
        [outFeatures, kBlocks, (m.blockSize * bits) / 8],
        m.packed,
      )
      const scales = this.b.initializer(
        `${name}.scales`,
        'float32',
        [outFeatures * kBlocks],
        m.scales,
      )
      const zp = this.b.initializer(`${name}.zp`, 'uint8', [m.zeroPoints.length], m.zeroPoints)
      y = this.b.matMulNBits(
        x,
        packed,
        scales,
        zp,
        inFeatures,
        outFeatures,
        bits,
        m.blockSize,
        this.opts.accuracyLevel ?? 0,
      )
    }
    if (biasName) y = this.b.add(y, this.param(biasName, [outFeatures]))
    return y
  }
}

export function transpose(w: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(w.length)
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = w[r * cols + c]
  return out
}

export interface SequenceInputs {
  ids: Value
  /** Positions of the new tokens, [seq] int64. */
  positions: Value
  /** Causal mask [seq, total]: true where a query may attend to a key (unfused only). */
  allowed?: Value
  past: { key: Value; value: Value }[]
  /** Fused attention only. */
  seqlensK?: Value
  totalLength?: Value
}

/** Graph inputs: token ids, the KV cache, and the positions and causal mask they imply. */
export function sequenceInputs(ctx: GraphContext): SequenceInputs {
  const { b, cfg } = ctx
  const ids = b.input(IO.inputIds, 'int64', ['batch', 'sequence'])
  const fused = ctx.opts.fusedAttention === true && !ctx.opts.insides
  const past = []
  for (let i = 0; i < cfg.numLayers; i++) {
    const shape = ['batch', cfg.numKvHeads, fused ? 'max_sequence' : 'past_sequence', cfg.headDim]
    past.push({
      key: b.input(IO.pastKey(i), 'float32', shape),
      value: b.input(IO.pastValue(i), 'float32', shape),
    })
  }
  const seqLen = b.gather(b.shape(ids), b.int(1))
  if (fused) {
    const seqlensK = b.input(IO.seqlensK, 'int32', ['batch'])
    const totalLength = b.input(IO.totalLength, 'int32', [])
    const total = b.cast(totalLength, 'int64')
    const positions = b.range(b.sub(total, seqLen), total, b.int(1))
    return { ids, positions, past, seqlensK, totalLength }
  }
  const pastLen = b.gather(b.shape(past[0].key), b.int(2))
  const total = b.add(pastLen, seqLen)
  const positions = b.range(pastLen, total, b.int(1))
  const keyPos = b.unsqueeze(b.range(b.int(0), total, b.int(1)), [0])
  const allowed = b.less(keyPos, b.unsqueeze(b.add(positions, b.int(1)), [1]))
  return { ids, positions, allowed, past }
}

/**
 * Scaled dot-product attention with grouped-query heads and the KV cache.
 * q [b, s, H·d], k/v [b, s, KV·d] (RoPE already applied); returns [b, s, H·d]. Query head h
 * uses KV head ⌊h / (H/KV)⌋, as HF's repeat_kv.
 */
export function attention(
  ctx: GraphContext,
  layer: number,
  q: Value,
  k: Value,
  v: Value,
  seq: SequenceInputs,
): Value {
  const { b, cfg } = ctx
  const H = cfg.numHeads
  const KV = cfg.numKvHeads
  const d = cfg.headDim
  const g = H / KV
  if (seq.seqlensK && seq.totalLength) {
    const [out, presentK, presentV] = b.op(
      'GroupQueryAttention',
      [q, k, v, seq.past[layer].key, seq.past[layer].value, seq.seqlensK, seq.totalLength],
      { num_heads: attr.int(H), kv_num_heads: attr.int(KV), scale: attr.float(1 / Math.sqrt(d)) },
      { domain: MS_DOMAIN, outputs: 3 },
    )
    b.output(presentK, IO.presentKey(layer))
    b.output(presentV, IO.presentValue(layer))
    return out
  }
  const toHeads = (x: Value) => b.transpose(b.reshape(x, [0, 0, KV, d]), [0, 2, 1, 3])
  const presentK = b.concat([seq.past[layer].key, toHeads(k)], 2)
  const presentV = b.concat([seq.past[layer].value, toHeads(v)], 2)
  b.output(presentK, IO.presentKey(layer))
  b.output(presentV, IO.presentValue(layer))
  const q5 = b.transpose(b.reshape(q, [0, 0, KV, g, d]), [0, 2, 3, 1, 4])
  const kT = b.transpose(b.unsqueeze(presentK, [2]), [0, 1, 2, 4, 3])
  const scores = b.mul(b.matMul(q5, kT), b.scalar(1 / Math.sqrt(d)))
  const masked = b.where(seq.allowed!, scores, b.scalar(-Infinity))
  const probs = b.softmax(masked, -1)
  if (ctx.opts.insides) {
    const shape = b.concat([b.shape(probs, 0, 1), b.ints([H]), b.shape(probs, 3, 5)], 0)
    b.output(b.reshape(probs, shape), IO.attention(layer))
  }
  const out = b.matMul(probs, b.unsqueeze(presentV, [2]))
  return b.reshape(b.transpose(out, [0, 3, 1, 2, 4]), [0, 0, H * d])
}

/** Logits of the last `num_logits` positions: final hidden [b, s, h] → [b, n, vocab]. */
export function logitsHead(ctx: GraphContext, normed: Value, headName: string): void {
  const { b, cfg } = ctx
  const lastN = b.input(IO.lastN, 'int64', [1])
  const sel = b.op('Slice', [
    normed,
    b.neg(lastN),
    b.ints([Number.MAX_SAFE_INTEGER]),
    b.ints([1]),
  ])[0]
  let logits: Value
  if ((ctx.opts.quantization ?? 'none') !== 'none') {
    logits = ctx.linear(sel, headName, cfg.hiddenSize, cfg.vocabSize, 'outIn')
  } else {
    // Gemm with transB reads the [vocab, hidden] matrix as stored, so a tied head shares the
    // embedding initializer instead of holding a transposed copy.
    const head = ctx.b.values.get(headName) ?? ctx.param(headName, [cfg.vocabSize, cfg.hiddenSize])
    const flat = b.reshape(sel, [-1, cfg.hiddenSize])
    const gemm = b.op('Gemm', [flat, head], { transB: attr.int(1) })[0]
    const outShape = b.concat([b.shape(sel, 0, 2), b.ints([cfg.vocabSize])], 0)
    logits = b.reshape(gemm, outShape)
  }
  b.output(logits, IO.logits)
}
