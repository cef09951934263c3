// Building blocks shared by the GPT-2 and Llama-family graphs.
import { GraphBuilder, MS_DOMAIN, attr, type Value } from '../onnx'
import { concatBlocks, quantizeBlocks, type QuantizedMatrix } from '../quant/blockQuant'
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
   * The layout loadModel uses. Every variant packs the q/k/v and the gate/up projections
   * into one matrix each (concatenated along the output axis at build time), so the plain
   * and insides variants share one weights.bin. The plain variant (not `insides`) then runs
   * on com.microsoft fused ops where they save nodes (RotaryEmbedding, residual add + norm as
   * Skip(Simplified)LayerNormalization) and on attention that only reads the KV cache
   * (arch/fused.ts: [1 + past, KV, 1, d] rows per layer in, the new rows out as IO.newRows).
   * Unset for training graphs, whose initializers must be the checkpoint's own tensors.
   */
  fused?: boolean
  /**
   * With quantization 'none', projections the weights hold as exact MatMulNBits blocks
   * (WeightSource.blocks: GGUF Q4_0/Q8_0) run on those blocks instead of being expanded to
   * float32: the same matrix, a quarter or half of the memory. Q4_0 keeps float activations
   * (accuracy_level 0); Q8_0 runs at level 4, as llama.cpp runs q8_0: onnxruntime 1.30's CPU
   * MatMulNBits has no 8-bit kernel with float activations and below level 4 expands the
   * whole matrix to float32 on every call (measured 41x slower than level 4 per decode
   * product, 13x slower than a float32 MatMul).
   */
  storedBlocks?: boolean
  /**
   * For a GPU provider: attention's products as MatMul over transposed cache rows instead of
   * com.microsoft FusedMatMul with transBatchB, which only the CPU provider has (WebGPU would
   * run those products on the CPU, copying the cache across every step).
   */
  gpu?: boolean
}

/**
 * Graph I/O names. The KV cache is past_key_values.{i}.key/value → present.{i}.key/value in
 * the unfused graphs; the fused graph reads past_key_values and outputs only IO.newRows.
 */
export const IO = {
  inputIds: 'input_ids',
  lastN: 'num_logits',
  /**
   * Fused graph only: the new tokens' K and V rows of every layer, [2·layers·S, KV, 1, d]
   * (layer i's keys are rows 2i·S.., its values (2i+1)·S..); the cache itself is input only.
   */
  newRows: 'new_key_values',
  logits: 'logits',
  /**
   * Fused graph only, per logits row: the LOGIT_SUMMARY_K largest logits (best first, ties
   * by smaller id, as ONNX TopK orders them), their ids, and log Σ exp(logits): what the
   * sampler and the reported log-probabilities need, computed by ort instead of by JS passes
   * over the vocabulary (runtime/types.ts, LogitSummary).
   */
  topLogits: 'top_logits',
  topIds: 'top_ids',
  logSumExp: 'logsumexp',
  pastKey: (i: number) => `past_key_values.${i}.key`,
  pastValue: (i: number) => `past_key_values.${i}.value`,
  presentKey: (i: number) => `present.${i}.key`,
  presentValue: (i: number) => `present.${i}.value`,
  attention: (i: number) => `attentions.${i}`,
  hidden: (i: number) => `hidden_states.${i}`,
  /** The residual after a layer's attention, before its feed-forward half (insides only). */
  postAttention: (i: number) => `post_attention.${i}`,
}

/**
 * The node scope of a weight or a layer, as onnxruntime-genai names nodes:
 * 'model.layers.0.self_attn.q_proj.weight' → '/model/layers.0/self_attn/q_proj'.
 */
export function scopeOf(name: string): string {
  const parts: string[] = []
  for (const part of name.replace(/\.(weight|bias)$/, '').split('.')) {
    if (/^\d+$/.test(part) && parts.length) parts[parts.length - 1] += `.${part}`
    else parts.push(part)
  }
  return `/${parts.join('/')}`
}

export class GraphContext {
  readonly b = new GraphBuilder()
  constructor(
    readonly cfg: ArchConfig,
    readonly weights: WeightSource,
    readonly opts: GraphOptions,
  ) {}

  /** Projections that share an input are one packed matrix (see GraphOptions.fused). */
  get packed(): boolean {
    return this.opts.fused === true
  }

  /** The decode graph of fused contrib ops (see GraphOptions.fused). */
  get fusedOps(): boolean {
    return this.opts.fused === true && !this.opts.insides
  }

  /** A weight as float32, its shape checked against what config.json implies. */
  weight(name: string, shape: number[]): Float32Array {
    this.checkShape(name, shape)
    return this.weights.f32(name)
  }

  private checkShape(name: string, shape: number[]): void {
    const e = this.weights.entry(name)
    if (e.shape.length !== shape.length || e.shape.some((d, i) => d !== shape[i])) {
      throw new ModelFormatError(
        e.file,
        `tensor ${name} has shape [${e.shape}] but config.json implies [${shape}]`,
      )
    }
  }

  /** The stored blocks of these [out, in] parts, stacked along out, when all have them. */
  private storedBlocks(parts: { weight: string; shape: number[] }[]): QuantizedMatrix | undefined {
    if (!this.opts.storedBlocks || (this.opts.quantization ?? 'none') !== 'none') return undefined
    if (!this.weights.blocks) return undefined
    const found: QuantizedMatrix[] = []
    for (const p of parts) {
      this.checkShape(p.weight, p.shape)
      const m = this.weights.blocks(p.weight)
      if (!m || (found[0] && (m.bits !== found[0].bits || m.blockSize !== found[0].blockSize)))
        return undefined
      found.push(m)
    }
    return found.length === 1 ? found[0] : concatBlocks(found)
  }

  param(name: string, shape: number[]): Value {
    return this.b.initializer(name, 'float32', shape, this.weight(name, shape))
  }

  /**
   * An RMSNorm's scale: the weight, or 1 + weight for Gemma (Gemma3RMSNorm). The add stays
   * a node so that training updates the checkpoint's own tensor; ort folds it when the
   * weight is a constant.
   */
  normWeight(name: string, n: number): Value {
    const w = this.param(name, [n])
    return this.cfg.normPlusOne ? this.b.add(w, this.b.scalar(1)) : w
  }

  /** The gated MLP's activation: SiLU (SwiGLU) or Gemma's tanh-approximated GELU (GeGLU). */
  activate(gate: Value): Value {
    if (this.cfg.activation !== 'geluTanh') return this.b.silu(gate)
    // com.microsoft FastGelu is the same tanh approximation in one node (decode graph only:
    // the autodiff knows the spelled-out form).
    return this.fusedOps
      ? this.b.op('FastGelu', [gate], {}, { domain: MS_DOMAIN })[0]
      : this.b.geluTanh(gate)
  }

  /** cap · tanh(x / cap) (Gemma's softcapping), or x when the config sets no cap. */
  softcap(x: Value, cap: number | null): Value {
    if (cap === null) return x
    const { b } = this
    return b.mul(b.tanh(b.mul(x, b.scalar(1 / cap))), b.scalar(cap))
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
    return this.b.inScope(scopeOf(name), () => {
      const shape = layout === 'outIn' ? [outFeatures, inFeatures] : [inFeatures, outFeatures]
      const bias = biasName ? this.param(biasName, [outFeatures]) : null
      const stored = this.storedBlocks([{ weight: name, shape }])
      if (stored) return this.nBits(x, name, stored, bias, storedLevel(stored))
      return this.matrix(x, name, this.weight(name, shape), layout, inFeatures, outFeatures, bias)
    })
  }

  /**
   * Several nn.Linear projections of one input as one matrix product: the [out, in] weights
   * are concatenated along `out` at build time (as the output columns they produce), so
   * one kernel reads them in one pass. Block quantization is per output row, so packing
   * before quantizing gives the same codes as quantizing each part. Returns [.., Σ out].
   */
  linearPacked(
    x: Value,
    name: string,
    inFeatures: number,
    parts: { weight: string; out: number; bias?: string }[],
  ): Value {
    return this.b.inScope(scopeOf(name), () => {
      const outFeatures = parts.reduce((n, p) => n + p.out, 0)
      const bias = parts.some((p) => p.bias) ? new Float32Array(outFeatures) : null
      const stored = this.storedBlocks(
        parts.map((p) => ({ weight: p.weight, shape: [p.out, inFeatures] })),
      )
      const w = stored ? null : new Float32Array(outFeatures * inFeatures)
      let row = 0
      for (const p of parts) {
        w?.set(this.weight(p.weight, [p.out, inFeatures]), row * inFeatures)
        if (p.bias) bias!.set(this.weight(p.bias, [p.out]), row)
        row += p.out
      }
      const b = bias && this.b.initializer(`${name}.bias`, 'float32', [outFeatures], bias)
      if (stored) return this.nBits(x, `${name}.weight`, stored, b, storedLevel(stored))
      return this.matrix(x, `${name}.weight`, w!, 'outIn', inFeatures, outFeatures, b)
    })
  }

  private matrix(
    x: Value,
    name: string,
    w: Float32Array,
    layout: 'outIn' | 'inOut',
    inFeatures: number,
    outFeatures: number,
    bias: Value | null,
  ): Value {
    const q = this.opts.quantization ?? 'none'
    if (q === 'none') {
      const kn = layout === 'inOut' ? w : transpose(w, outFeatures, inFeatures)
      const y = this.b.matMul(x, this.b.initializer(name, 'float32', [inFeatures, outFeatures], kn))
      return bias ? this.b.add(y, bias) : y
    }
    const nk = layout === 'outIn' ? w : transpose(w, inFeatures, outFeatures)
    const bits = q === 'int4' ? 4 : 8
    const m = quantizeBlocks(nk, outFeatures, inFeatures, bits, bits === 4 ? INT4_BLOCK_SIZE : 32)
    return this.nBits(x, name, m, bias, this.opts.accuracyLevel ?? 0)
  }

  private nBits(
    x: Value,
    name: string,
    m: QuantizedMatrix,
    bias: Value | null,
    accuracyLevel: number,
  ): Value {
    const kBlocks = Math.ceil(m.k / m.blockSize)
    const packed = this.b.initializer(
      `${name}.q`,
      'uint8',
      [m.n, kBlocks, (m.blockSize * m.bits) / 8],
      m.packed,
    )
    const scales = this.b.initializer(`${name}.scales`, 'float32', [m.n * kBlocks], m.scales)
    const zp = this.b.initializer(`${name}.zp`, 'uint8', [m.zeroPoints.length], m.zeroPoints)
    return this.b.matMulNBits(
      x,
      packed,
      scales,
      zp,
      m.k,
      m.n,
      m.bits,
      m.blockSize,
      accuracyLevel,
      bias,
    )
  }
}

/**
 * Block length of weights quantized to 4 bits at load (onnxruntime's own MatMulNBits quantizer
 * defaults to 128 too). Against blocks of 32, MatMulNBits decodes Qwen2.5-0.5B's shapes in
 * 0.70-0.76 of the time and SmolLM2/GPT-2's in 0.83-0.89 (fewer scales and zero points to
 * read and apply: bench/peers/nbitsShapes.ts), at 0.535 instead of 0.64 bytes per weight; the
 * cost is precision: relative RMS weight error 0.103 on the trained default model, against
 * 0.081 at 32 and 0.088 for llama.cpp's Q4_0. Part of loadModel's graph cache key.
 */
export const INT4_BLOCK_SIZE = 128

/** Stored blocks' accuracy level: float activations for 4 bits, int8 for 8 (see storedBlocks). */
const storedLevel = (m: QuantizedMatrix) => (m.bits === 8 ? 4 : 0)

export function transpose(w: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(w.length)
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = w[r * cols + c]
  return out
}

export interface SequenceInputs {
  ids: Value
  /** Positions of the new tokens, [seq] int64. */
  positions: Value
  /** int64 scalar: tokens so far, cached and new (the last position + 1). */
  total: Value
  /** Causal mask [seq, total]: true where a query may attend to a key. */
  allowed: Value
  /** The causal mask of sliding layers: also false for keys `slidingWindow` or more behind. */
  allowedSliding: Value | null
  past: { key: Value; value: Value }[]
}

/**
 * Graph inputs of the unfused graphs (insides, training): token ids, the KV cache as past
 * tensors of exactly the cached length, and the positions and causal mask they imply.
 */
export function sequenceInputs(ctx: GraphContext): SequenceInputs {
  const { b, cfg } = ctx
  const ids = b.input(IO.inputIds, 'int64', ['batch', 'sequence'])
  const past = []
  for (let i = 0; i < cfg.numLayers; i++) {
    const shape = ['batch', cfg.numKvHeads, 'past_sequence', cfg.headDim]
    past.push({
      key: b.input(IO.pastKey(i), 'float32', shape),
      value: b.input(IO.pastValue(i), 'float32', shape),
    })
  }
  const seqLen = b.gather(b.shape(ids), b.int(1))
  const pastLen = b.gather(b.shape(past[0].key), b.int(2))
  const total = b.add(pastLen, seqLen)
  const positions = b.range(pastLen, total, b.int(1))
  const keyPos = b.unsqueeze(b.range(b.int(0), total, b.int(1)), [0])
  const allowed = b.less(keyPos, b.unsqueeze(b.add(positions, b.int(1)), [1]))
  // HF's sliding_window_overlay: key kv is visible to query q when kv > q − window.
  let allowedSliding: Value | null = null
  if (cfg.layerTypes.includes('sliding')) {
    const oldest = b.unsqueeze(b.sub(positions, b.int(cfg.slidingWindow)), [1])
    allowedSliding = b.op('And', [allowed, b.greater(keyPos, oldest)], {}, { dtype: 'bool' })[0]
  }
  return { ids, positions, total, allowed, allowedSliding, past }
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
  const toHeads = (x: Value) => b.transpose(b.reshape(x, [0, 0, KV, d]), [0, 2, 1, 3])
  const presentK = b.concat([seq.past[layer].key, toHeads(k)], 2)
  const presentV = b.concat([seq.past[layer].value, toHeads(v)], 2)
  b.output(presentK, IO.presentKey(layer))
  b.output(presentV, IO.presentValue(layer))
  const q5 = b.transpose(b.reshape(q, [0, 0, KV, g, d]), [0, 2, 3, 1, 4])
  const kT = b.transpose(b.unsqueeze(presentK, [2]), [0, 1, 2, 4, 3])
  const scores = ctx.softcap(b.mul(b.matMul(q5, kT), b.scalar(cfg.attnScale)), cfg.attnSoftcap)
  const allowed = cfg.layerTypes[layer] === 'sliding' ? seq.allowedSliding! : seq.allowed
  const masked = b.where(allowed, scores, b.scalar(-Infinity))
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
    // The head reads the [vocab, hidden] matrix as stored (transB), so a tied head shares
    // the embedding initializer instead of holding a transposed copy.
    const head = ctx.b.values.get(headName) ?? ctx.param(headName, [cfg.vocabSize, cfg.hiddenSize])
    if (ctx.fusedOps) {
      // com.microsoft FusedMatMul takes [b, n, h] as it is: one node instead of five.
      logits = b.op('FusedMatMul', [sel, head], { transB: attr.int(1) }, { domain: MS_DOMAIN })[0]
    } else {
      // Gemm (2-D only) keeps the training graphs within the autodiff's rules.
      const flat = b.reshape(sel, [-1, cfg.hiddenSize])
      const gemm = b.op('Gemm', [flat, head], { transB: attr.int(1) })[0]
      const outShape = b.concat([b.shape(sel, 0, 2), b.ints([cfg.vocabSize])], 0)
      logits = b.reshape(gemm, outShape)
    }
  }
  logits = ctx.softcap(logits, cfg.finalSoftcap)
  b.output(logits, IO.logits)
  if (ctx.fusedOps) logitSummary(ctx, logits)
}

/** The largest logits kept per row by the fused graph's summary (IO.topLogits). */
export const LOGIT_SUMMARY_K = 64

function logitSummary(ctx: GraphContext, logits: Value): void {
  const { b, cfg } = ctx
  const k = Math.min(LOGIT_SUMMARY_K, cfg.vocabSize)
  const [values, ids] = b.op(
    'TopK',
    [logits, b.ints([k])],
    { axis: attr.int(-1), largest: attr.int(1), sorted: attr.int(1) },
    { outputs: 2, dtypes: ['float32', 'int64'] },
  )
  b.output(values, IO.topLogits)
  b.output(ids, IO.topIds)
  // The best logit is the top value: a stable log-sum-exp without a ReduceMax pass.
  const max = b.slice(values, [0], [1], [-1])
  const sum = b.reduceSum(b.exp(b.sub(logits, max)), [-1])
  b.output(b.add(max, b.log(sum)), IO.logSumExp)
}
