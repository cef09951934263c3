// Building blocks shared by the GPT-2 and Llama-family graphs.
import { GraphBuilder, MS_DOMAIN, type Value } from '../onnx'
import { concatBlocks, quantizeBlocks, type QuantizedMatrix } from '../quant/blockQuant'
import { quantizeChannels } from '../quant/channelQuant'
import type { ArchConfig } from './config'
import { scopeOf } from './graphNames'
import type { GraphOptions } from './graphOptions'
import { int8RowsMatMul } from './int8Gemm'
import { ModelFormatError, type WeightSource } from './weights'

export class GraphContext {
  readonly b = new GraphBuilder()
  /** blockSums per input and block size: the projections of one input share them. */
  private readonly blockSumsOf = new Map<string, Value>()
  constructor(
    readonly cfg: ArchConfig,
    readonly weights: WeightSource,
    readonly opts: GraphOptions,
  ) {}

  /** Projections that share an input are one packed matrix (see GraphOptions.fused). */
  get packed(): boolean {
    return this.opts.fused === true
  }

  /**
   * A training graph (see GraphOptions.fused): only these are differentiated, so they take
   * the forms whose backward costs fewer passes; app graphs (and their cache) are unchanged.
   */
  get forTraining(): boolean {
    return !this.packed
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

  /**
   * The stored blocks of these [out, in] parts when all have them, stacked along out: one
   * matrix per run of parts with the same bit width and block size (a Q4_K_M file mixes
   * Q4_K and Q6_K within one layer's q/k/v).
   */
  private storedBlocks(
    parts: { weight: string; shape: number[] }[],
  ): QuantizedMatrix[] | undefined {
    if (!this.opts.storedBlocks || (this.opts.quantization ?? 'none') !== 'none') return undefined
    if (!this.weights.blocks) return undefined
    const runs: QuantizedMatrix[][] = []
    for (const p of parts) {
      this.checkShape(p.weight, p.shape)
      const m = this.weights.blocks(p.weight)
      if (!m) return undefined
      const last = runs.at(-1)?.[0]
      if (last && m.bits === last.bits && m.blockSize === last.blockSize) runs.at(-1)!.push(m)
      else runs.push([m])
    }
    return runs.map((r) => (r.length === 1 ? r[0] : concatBlocks(r)))
  }

  /** Stored blocks as one product per run, concatenated along the output axis. */
  private storedProduct(
    x: Value,
    name: string,
    runs: QuantizedMatrix[],
    bias: Value | null,
  ): Value {
    if (runs.length === 1) return this.nBits(x, name, runs[0], bias, storedLevel(runs[0]))
    const y = this.b.concat(
      runs.map((m, i) => this.nBits(x, `${name}.${i}`, m, null, storedLevel(m))),
      -1,
    )
    return bias ? this.b.add(y, bias) : y
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
    return this.geluTanh(gate)
  }

  /**
   * GELU, tanh approximation: com.microsoft FastGelu, one node, in the decode graph and in
   * training graphs (autodiff has its rule: one pass forward instead of nine, and nothing of
   * it kept for the backward but its input); the insides variant keeps the spelled-out form.
   */
  geluTanh(x: Value): Value {
    return this.fusedOps || this.forTraining
      ? this.b.op('FastGelu', [x], {}, { domain: MS_DOMAIN })[0]
      : this.b.geluTanh(x)
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
      if (stored) return this.storedProduct(x, name, stored, bias)
      return this.matrix(x, name, this.weight(name, shape), layout, inFeatures, outFeatures, bias)
    })
  }

  /**
   * An [out, in] projection from its stored blocks, or undefined when it has none; `split`
   * cuts each run into row parts, one product each (the head: logitsHead.ts).
   */
  storedLinear(
    x: Value,
    name: string,
    inFeatures: number,
    outFeatures: number,
    split: (m: QuantizedMatrix) => QuantizedMatrix[] = (m) => [m],
  ): Value | undefined {
    const stored = this.storedBlocks([{ weight: name, shape: [outFeatures, inFeatures] }])
    if (!stored) return undefined
    const parts = stored.flatMap(split)
    return this.b.inScope(scopeOf(name), () => this.storedProduct(x, name, parts, null))
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
      if (stored) return this.storedProduct(x, `${name}.weight`, stored, b)
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
    // int8 activations for 8-bit weights on the CPU: per row, through MLAS's integer GEMM
    // (arch/int8Gemm.ts). GPU providers keep MatMulNBits, which they implement.
    if (q === 'int8' && this.opts.accuracyLevel === 4 && !this.opts.gpu) {
      const m = quantizeChannels(nk, outFeatures, inFeatures)
      return int8RowsMatMul(this.b, x, name, m, bias, this.opts.integerGemm)
    }
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
    const y = this.b.matMulNBits(
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
    if (!m.offsets) return y
    // Σ_blocks offset·Σ_block x: the blocks' mins as a product 1/blockSize the size of W's.
    const offsets = this.b.initializer(
      `${name}.offsets`,
      'float32',
      [kBlocks, m.n],
      transpose(m.offsets, m.n, kBlocks),
    )
    return this.b.sub(y, this.b.matMul(this.blockSums(x, m.k, m.blockSize), offsets))
  }

  /** x summed over each block of K, [..., kBlocks]: one product with a 0/1 matrix. */
  private blockSums(x: Value, k: number, blockSize: number): Value {
    const key = `${x.name}|${k}|${blockSize}`
    const known = this.blockSumsOf.get(key)
    if (known) return known
    const kBlocks = Math.ceil(k / blockSize)
    const ones = new Float32Array(k * kBlocks)
    for (let i = 0; i < k; i++) ones[i * kBlocks + Math.floor(i / blockSize)] = 1
    const sums = this.b.matMul(
      x,
      this.b.initializer(
        `blockSums.${k}.${blockSize}.${this.blockSumsOf.size}`,
        'float32',
        [k, kBlocks],
        ones,
      ),
    )
    this.blockSumsOf.set(key, sums)
    return sums
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
