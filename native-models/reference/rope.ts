// RoPE for the test reference, from HF's modeling_rope_utils.py rope_init_fns (default,
// linear, llama3, longrope, yarn) and apply_rotary_pos_emb with partial rotary, written
// apart from arch/rope.ts so that the two cannot share a mistake. Float32 where HF is.

type Json = Record<string, unknown>

export interface ReferenceRope {
  inv: number[]
  /** attention_scaling: cos and sin are multiplied by it. */
  scale: number
}

/**
 * inv_freq over `dim` rotated features for a forward call over `seqLen` tokens (longrope
 * picks its factors by it, as longrope_frequency_update).
 */
export function referenceRope(
  cfg: Json,
  dim: number,
  seqLen: number,
  base?: number,
): ReferenceRope {
  const theta = base ?? (cfg.rope_theta as number) ?? 10000
  const f = Math.fround
  const posFreqs = Array.from({ length: dim / 2 }, (_, i) => f(theta ** f((2 * i) / dim)))
  const inv = posFreqs.map((p) => f(1 / p))
  const rs = cfg.rope_scaling as Json | null | undefined
  const type = base !== undefined || !rs ? 'default' : ((rs.rope_type ?? rs.type) as string)
  const maxPos = (cfg.max_position_embeddings as number) ?? 2048
  if (type === 'linear') return { inv: inv.map((x) => x / (rs!.factor as number)), scale: 1 }
  if (type === 'dynamic') {
    // _compute_dynamic_ntk_parameters: seq_len below max_position_embeddings counts as it.
    const factor = rs!.factor as number
    const len = Math.max(seqLen, maxPos)
    const grown = theta * ((factor * len) / maxPos - (factor - 1)) ** (dim / (dim - 2))
    const freqs = Array.from({ length: dim / 2 }, (_, i) => f(1 / f(grown ** f((2 * i) / dim))))
    return { inv: freqs, scale: 1 }
  }
  if (type === 'longrope') {
    const original = (cfg.original_max_position_embeddings as number) ?? maxPos
    const factor = maxPos / original
    const scale =
      (rs!.attention_factor as number | undefined) ??
      (factor <= 1 ? 1 : Math.sqrt(1 + Math.log(factor) / Math.log(original)))
    const ext = (seqLen > original ? rs!.long_factor : rs!.short_factor) as number[]
    return { inv: posFreqs.map((p, i) => f(1 / f(ext[i] * p))), scale }
  }
  if (type === 'yarn') {
    // transformers 5: `factor` when set, else max_position_embeddings / original.
    const omax = (rs!.original_max_position_embeddings as number | undefined) ?? maxPos
    const factor = (rs!.factor as number | undefined) ?? maxPos / omax
    const mscale = (s: number, m = 1) => (s <= 1 ? 1 : 0.1 * m * Math.log(s) + 1)
    const scale =
      (rs!.attention_factor as number | undefined) ??
      (rs!.mscale && rs!.mscale_all_dim
        ? mscale(factor, rs!.mscale as number) / mscale(factor, rs!.mscale_all_dim as number)
        : mscale(factor))
    const betaFast = (rs!.beta_fast as number) || 32
    const betaSlow = (rs!.beta_slow as number) || 1
    const corr = (rot: number) =>
      (dim * Math.log(omax / (rot * 2 * Math.PI))) / (2 * Math.log(theta))
    const truncate = rs!.truncate !== false
    let low = truncate ? Math.floor(corr(betaFast)) : corr(betaFast)
    let high = truncate ? Math.ceil(corr(betaSlow)) : corr(betaSlow)
    low = Math.max(low, 0)
    high = Math.min(high, dim - 1)
    if (low === high) high += 0.001
    return {
      inv: posFreqs.map((p, i) => {
        const extrapolationFactor = 1 - Math.min(1, Math.max(0, f((i - low) / (high - low))))
        const interp = f(1 / f(factor * p))
        const extrap = f(1 / p)
        return interp * (1 - extrapolationFactor) + extrap * extrapolationFactor
      }),
      scale,
    }
  }
  if (type !== 'llama3') return { inv, scale: 1 }
  const factor = rs!.factor as number
  const low = rs!.low_freq_factor as number
  const high = rs!.high_freq_factor as number
  const old = rs!.original_max_position_embeddings as number
  return {
    inv: inv.map((x) => {
      const wavelen = (2 * Math.PI) / x
      if (wavelen < old / high) return x
      if (wavelen > old / low) return x / factor
      const smooth = (old / wavelen - low) / (high - low)
      return (1 - smooth) * (x / factor) + smooth * x
    }),
    scale: 1,
  }
}

/**
 * apply_rotary_pos_emb: the first rotary_dim = 2·inv.length features of each head become
 * x·cos + rotate_half(x)·sin (cos = cat(freqs, freqs).cos() · scale); the rest pass.
 */
export function applyRope(
  x: Float64Array,
  heads: number,
  d: number,
  pos: number,
  rope: ReferenceRope,
): Float64Array {
  const out = Float64Array.from(x)
  const r = 2 * rope.inv.length
  for (let h = 0; h < heads; h++) {
    for (let i = 0; i < r; i++) {
      const angle = Math.fround(pos * rope.inv[i % (r / 2)])
      const rotated = i < r / 2 ? -x[h * d + i + r / 2] : x[h * d + i - r / 2]
      out[h * d + i] =
        x[h * d + i] * Math.cos(angle) * rope.scale + rotated * Math.sin(angle) * rope.scale
    }
  }
  return out
}
