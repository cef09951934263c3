// RoPE variants of HF's modeling_rope_utils.py: config.json's rope_scaling → RopeScaling, and
// the inverse frequencies each rope_init_fn computes.
import type { ArchConfig, LayerType } from './config'
import { ModelFormatError } from './weights'

type Json = Record<string, unknown>

export interface RopeScaling {
  type: 'default' | 'linear' | 'llama3' | 'longrope' | 'yarn' | 'dynamic'
  factor: number
  lowFreqFactor: number
  highFreqFactor: number
  originalMaxPositions: number
  /** cos and sin are multiplied by this (longrope's and yarn's attention_factor; else 1). */
  attentionFactor: number
  /** longrope: per-frequency divisors while the sequence is within originalMaxPositions… */
  shortFactor: number[]
  /** …and once it is longer (HF switches per forward call, on max(position) + 1). */
  longFactor: number[]
  /** yarn's correction range (beta_fast, beta_slow rotations) and whether it is rounded. */
  betaFast: number
  betaSlow: number
  truncate: boolean
}

const SUPPORTED = 'default, linear, llama3, longrope, yarn, dynamic'

function factors(r: Json, key: string, half: number): number[] {
  const v = r[key]
  if (!Array.isArray(v) || v.length !== half || v.some((x) => typeof x !== 'number'))
    throw new ModelFormatError(
      'config.json',
      `rope_scaling.${key} must be ${half} numbers (rotary dimension / 2)`,
    )
  return v as number[]
}

/** get_mscale of _compute_yarn_parameters. */
function yarnMscale(scale: number, mscale = 1): number {
  return scale <= 1 ? 1 : 0.1 * mscale * Math.log(scale) + 1
}

/**
 * `raw` is config.json's rope_scaling; `cfg` the whole config (max_position_embeddings,
 * Phi-3's top-level original_max_position_embeddings); `rotaryDim` the rotated width.
 */
export function ropeScaling(raw: unknown, cfg: Json = {}, rotaryDim = 0): RopeScaling {
  const none: RopeScaling = {
    type: 'default',
    factor: 1,
    lowFreqFactor: 1,
    highFreqFactor: 4,
    originalMaxPositions: 8192,
    attentionFactor: 1,
    shortFactor: [],
    longFactor: [],
    betaFast: 32,
    betaSlow: 1,
    truncate: true,
  }
  if (!raw || typeof raw !== 'object') return none
  const r = raw as Json
  const type = String(r.rope_type ?? r.type ?? 'default')
  const factor = typeof r.factor === 'number' ? r.factor : 1
  const maxPositions =
    typeof cfg.max_position_embeddings === 'number' ? cfg.max_position_embeddings : 2048
  if (type === 'default') return none
  if (type === 'linear') return { ...none, type: 'linear', factor }
  if (type === 'dynamic') {
    // Dynamic NTK (_compute_dynamic_ntk_parameters) raises the base only for a sequence
    // longer than max_position_embeddings; the graphs serve no longer context, so within it
    // the frequencies are the default ones, exactly as HF computes them there.
    return { ...none, type: 'dynamic', factor }
  }
  if (type === 'llama3') {
    return {
      ...none,
      type: 'llama3',
      factor,
      lowFreqFactor: Number(r.low_freq_factor ?? 1),
      highFreqFactor: Number(r.high_freq_factor ?? 4),
      originalMaxPositions: Number(r.original_max_position_embeddings ?? 8192),
    }
  }
  if (type === 'longrope') {
    // _compute_longrope_parameters: Phi-3 keeps the pretrained context at the top level and
    // takes the factor from the ratio of the two contexts.
    const original = Number(
      cfg.original_max_position_embeddings ?? r.original_max_position_embeddings ?? maxPositions,
    )
    const ratio =
      cfg.original_max_position_embeddings !== undefined || r.original_max_position_embeddings
        ? maxPositions / original
        : factor
    const attention =
      typeof r.attention_factor === 'number'
        ? r.attention_factor
        : ratio <= 1
          ? 1
          : Math.sqrt(1 + Math.log(ratio) / Math.log(original))
    return {
      ...none,
      type: 'longrope',
      factor: ratio,
      originalMaxPositions: original,
      attentionFactor: attention,
      shortFactor: factors(r, 'short_factor', rotaryDim / 2),
      longFactor: factors(r, 'long_factor', rotaryDim / 2),
    }
  }
  if (type === 'yarn') {
    // _compute_yarn_parameters (transformers 5): the factor given, else the ratio of
    // max_position_embeddings to original_max_position_embeddings (default: the former).
    // Transformers 4.5x took that ratio whenever rope_scaling had the original context;
    // the two agree for configs that set max_position_embeddings = factor · original.
    const hasOriginal = typeof r.original_max_position_embeddings === 'number'
    const original = hasOriginal ? (r.original_max_position_embeddings as number) : maxPositions
    const f = typeof r.factor === 'number' ? r.factor : maxPositions / original
    const mscale = typeof r.mscale === 'number' ? r.mscale : 0
    const mscaleAll = typeof r.mscale_all_dim === 'number' ? r.mscale_all_dim : 0
    const attention =
      typeof r.attention_factor === 'number'
        ? r.attention_factor
        : mscale && mscaleAll
          ? yarnMscale(f, mscale) / yarnMscale(f, mscaleAll)
          : yarnMscale(f)
    return {
      ...none,
      type: 'yarn',
      factor: f,
      originalMaxPositions: original,
      attentionFactor: attention,
      betaFast: typeof r.beta_fast === 'number' && r.beta_fast ? r.beta_fast : 32,
      betaSlow: typeof r.beta_slow === 'number' && r.beta_slow ? r.beta_slow : 1,
      truncate: r.truncate !== false,
    }
  }
  throw new ModelFormatError(
    'config.json',
    `rope_scaling type ${type} is not supported (supported: ${SUPPORTED})`,
  )
}

/**
 * RoPE inverse frequencies over the rotated width, as HF's rope_init_fn for the config's rope
 * type; a Gemma 3 sliding layer uses its own base with the default type. `long` picks
 * longrope's long factors.
 */
export function ropeInvFreq(c: ArchConfig, layer: LayerType = 'full', long = false): Float64Array {
  const dim = c.rotaryDim
  const half = dim / 2
  const inv = new Float64Array(half)
  const local = layer === 'sliding' && c.localRopeTheta > 0
  const theta = local ? c.localRopeTheta : c.ropeTheta
  for (let i = 0; i < half; i++) inv[i] = 1 / theta ** ((2 * i) / dim)
  if (local) return inv
  const s = c.ropeScaling
  if (s.type === 'linear') for (let i = 0; i < half; i++) inv[i] /= s.factor
  if (s.type === 'longrope') {
    const ext = long ? s.longFactor : s.shortFactor
    for (let i = 0; i < half; i++) inv[i] /= ext[i]
  }
  if (s.type === 'yarn') {
    // Frequencies below the correction range are interpolated (÷ factor), those above kept,
    // with a linear ramp between (find_correction_range, linear_ramp_factor).
    const correction = (rotations: number) =>
      (dim * Math.log(s.originalMaxPositions / (rotations * 2 * Math.PI))) / (2 * Math.log(theta))
    let low = correction(s.betaFast)
    let high = correction(s.betaSlow)
    if (s.truncate) [low, high] = [Math.floor(low), Math.ceil(high)]
    low = Math.max(low, 0)
    high = Math.min(high, dim - 1)
    if (low === high) high += 0.001
    for (let i = 0; i < half; i++) {
      const ramp = Math.min(1, Math.max(0, (i - low) / (high - low)))
      const extrapolation = 1 - ramp
      inv[i] = (inv[i] / s.factor) * (1 - extrapolation) + inv[i] * extrapolation
    }
  }
  if (s.type === 'llama3') {
    // Llama 3.1's frequency-dependent scaling (HF _compute_llama3_parameters).
    const lowWavelen = s.originalMaxPositions / s.lowFreqFactor
    const highWavelen = s.originalMaxPositions / s.highFreqFactor
    for (let i = 0; i < half; i++) {
      const wavelen = (2 * Math.PI) / inv[i]
      if (wavelen > lowWavelen) inv[i] = inv[i] / s.factor
      else if (wavelen >= highWavelen) {
        const smooth =
          (s.originalMaxPositions / wavelen - s.lowFreqFactor) /
          (s.highFreqFactor - s.lowFreqFactor)
        inv[i] = (1 - smooth) * (inv[i] / s.factor) + smooth * inv[i]
      }
    }
  }
  return inv
}
