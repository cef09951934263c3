import type { ArchConfig } from '../arch/config'
import { mlpNormName } from '../arch/llama'
import { gpt2Prefix } from '../arch/gpt2'
import { ModelFormatError, type WeightSource } from '../arch/weights'

// What one feed-forward block adds at one position, read from the weights in plain
// TypeScript: the block is Σ_i a_i · w_i (+ bias), where a_i is neuron i's activation and
// w_i its output vector (a column of down_proj, a row of GPT-2's c_proj). Geva et al. 2022
// ("Transformer Feed-Forward Layers Build Predictions by Promoting Concepts in the Vocabulary
// Space", §3) read each w_i through the unembedding E: the top entries of E·(a_i·w_i) are
// the tokens that neuron promotes at this position (the direct effect on the logits, before
// the final norm's scaling).

export interface FeedForwardLayer {
  /** The block's input norm applied to the residual after attention, then the activations. */
  activations(postAttention: Float32Array): Float32Array
  /** Neuron i's output vector (hiddenSize). */
  outputVector(i: number): Float32Array
  /**
   * Gemma's sandwich norm RMS-normalizes the block's sum before the residual add, so each
   * neuron's share is scaled by (1 + g) / rms(Σ a_j·w_j): that factor, per dimension.
   */
  outputScale?(activations: Float32Array): Float32Array
  intermediateSize: number
}

function rowTimes(m: Float32Array, rows: number, cols: number, x: Float32Array): Float32Array {
  const out = new Float32Array(rows)
  for (let r = 0; r < rows; r++) {
    let s = 0
    const base = r * cols
    for (let c = 0; c < cols; c++) s += m[base + c] * x[c]
    out[r] = s
  }
  return out
}

function vecTimesMatrix(x: Float32Array, m: Float32Array, cols: number): Float32Array {
  const out = new Float32Array(cols)
  for (let r = 0; r < x.length; r++) {
    const xr = x[r]
    const base = r * cols
    for (let c = 0; c < cols; c++) out[c] += xr * m[base + c]
  }
  return out
}

const silu = (x: number) => x / (1 + Math.exp(-x))
const geluTanh = (x: number) =>
  0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)))
// Abramowitz–Stegun 7.1.26 for erf (|error| < 1.5e-7), enough for a ranking of neurons.
function erf(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x))
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-x * x)
  return x >= 0 ? y : -y
}
const gelu = (x: number) => 0.5 * x * (1 + erf(x / Math.SQRT2))

function normed(
  x: Float32Array,
  weight: Float32Array,
  bias: Float32Array | undefined,
  eps: number,
  layer: boolean,
  plusOne: boolean,
): Float32Array {
  const h = x.length
  let mean = 0
  if (layer) for (let i = 0; i < h; i++) mean += x[i] / h
  let sq = 0
  for (let i = 0; i < h; i++) sq += (x[i] - mean) ** 2 / h
  const inv = 1 / Math.sqrt(sq + eps)
  return x.map((v, i) => (v - mean) * inv * (weight[i] + (plusOne ? 1 : 0)) + (bias?.[i] ?? 0))
}

/** Layer `layer`'s feed-forward block of a GPT-2 or Llama-family model, from its weights. */
export function feedForwardLayer(
  cfg: ArchConfig,
  weights: WeightSource,
  layer: number,
): FeedForwardLayer {
  if (layer < 0 || layer >= cfg.numLayers) {
    throw new ModelFormatError('config.json', `layer ${layer} is outside 0..${cfg.numLayers - 1}`)
  }
  const h = cfg.hiddenSize
  const n = cfg.intermediateSize
  const opt = (name: string) => (weights.has(name) ? weights.f32(name) : undefined)
  if (cfg.family === 'gpt2') {
    const p = `${gpt2Prefix((x) => weights.has(x))}h.${layer}`
    const fc = weights.f32(`${p}.mlp.c_fc.weight`) // [h, n] (Conv1D: in × out)
    const fcBias = opt(`${p}.mlp.c_fc.bias`)
    const proj = weights.f32(`${p}.mlp.c_proj.weight`) // [n, h]
    const lnW = weights.f32(`${p}.ln_2.weight`)
    const lnB = opt(`${p}.ln_2.bias`)
    // As arch/gpt2.ts builds it.
    const act = cfg.modelType === 'gpt2' ? geluTanh : gelu
    return {
      intermediateSize: n,
      activations: (x) => {
        const pre = vecTimesMatrix(normed(x, lnW, lnB, cfg.normEps, true, false), fc, n)
        return pre.map((v, i) => act(v + (fcBias?.[i] ?? 0)))
      },
      outputVector: (i) => proj.slice(i * h, (i + 1) * h),
    }
  }
  const p = `model.layers.${layer}`
  const normW = weights.f32(`${p}.${mlpNormName(cfg)}.weight`)
  let gate: Float32Array
  let up: Float32Array
  if (cfg.packedCheckpoint) {
    const gu = weights.f32(`${p}.mlp.gate_up_proj.weight`) // [2n, h]: gate rows, then up
    gate = gu.subarray(0, n * h)
    up = gu.subarray(n * h)
  } else {
    gate = weights.f32(`${p}.mlp.gate_proj.weight`) // [n, h]
    up = weights.f32(`${p}.mlp.up_proj.weight`)
  }
  const gateBias = opt(`${p}.mlp.gate_proj.bias`)
  const upBias = opt(`${p}.mlp.up_proj.bias`)
  const down = weights.f32(`${p}.mlp.down_proj.weight`) // [h, n]
  const act = cfg.activation === 'geluTanh' ? geluTanh : silu
  const outputVector = (i: number) => {
    const out = new Float32Array(h)
    for (let r = 0; r < h; r++) out[r] = down[r * n + i]
    return out
  }
  const postNorm = cfg.sandwichNorms ? weights.f32(`${p}.post_feedforward_layernorm.weight`) : null
  const downBias = opt(`${p}.mlp.down_proj.bias`)
  return {
    intermediateSize: n,
    outputScale: postNorm
      ? (a) => {
          const sum = rowTimes(down, h, n, a)
          let sq = 0
          for (let r = 0; r < h; r++) sq += (sum[r] + (downBias?.[r] ?? 0)) ** 2 / h
          const inv = 1 / Math.sqrt(sq + cfg.normEps)
          return postNorm.map((g) => (g + (cfg.normPlusOne ? 1 : 0)) * inv)
        }
      : undefined,
    activations: (x) => {
      const m = normed(x, normW, undefined, cfg.normEps, false, cfg.normPlusOne)
      const g = rowTimes(gate, n, h, m)
      const u = rowTimes(up, n, h, m)
      return g.map((v, i) => act(v + (gateBias?.[i] ?? 0)) * (u[i] + (upBias?.[i] ?? 0)))
    },
    outputVector,
  }
}

/** The k vocabulary rows of `head` ([vocab, hidden]) with the largest dot product with v. */
export function promotedTokens(
  head: Float32Array,
  v: Float32Array,
  k: number,
): { id: number; score: number }[] {
  const h = v.length
  const vocab = head.length / h
  const top: { id: number; score: number }[] = []
  for (let t = 0; t < vocab; t++) {
    let s = 0
    const base = t * h
    for (let i = 0; i < h; i++) s += head[base + i] * v[i]
    if (top.length < k || s > top[top.length - 1].score) {
      top.push({ id: t, score: s })
      top.sort((a, b) => b.score - a.score || a.id - b.id)
      if (top.length > k) top.pop()
    }
  }
  return top
}

export interface NeuronReading {
  index: number
  activation: number
  contribution: number
  promoted: { id: number; score: number }[]
}

/** The `neurons` largest contributors (|a_i|·|w_i|) at one position, with their tokens. */
export function topNeurons(
  ffn: FeedForwardLayer,
  head: Float32Array,
  postAttention: Float32Array,
  neurons: number,
  tokens: number,
): NeuronReading[] {
  const a = ffn.activations(postAttention)
  const scale = ffn.outputScale?.(a)
  const vector = (i: number) => {
    const w = ffn.outputVector(i)
    return scale ? w.map((x, r) => x * scale[r]) : w
  }
  const scored = Array.from(a, (activation, index) => {
    let sq = 0
    for (const x of vector(index)) sq += x * x
    return { index, activation, contribution: Math.abs(activation) * Math.sqrt(sq) }
  })
  scored.sort((x, y) => y.contribution - x.contribution || x.index - y.index)
  // What the neuron adds here is a_i·w_i: one that fires negatively pushes the other way,
  // so its tokens are read from the scaled vector, with scores in logit units.
  return scored.slice(0, neurons).map((s) => ({
    ...s,
    promoted: promotedTokens(
      head,
      vector(s.index).map((x) => x * s.activation),
      tokens,
    ),
  }))
}
