/** How much one layer changed the residual stream, averaged over positions. */
export interface LayerContribution {
  /** 1-based: layer l turns hidden[l-1] into hidden[l]. */
  layer: number
  /** mean over positions of ‖h_l − h_{l−1}‖ */
  total: number
  /** total ÷ mean ‖h_{l−1}‖: the update's size relative to what it is added to */
  relative: number
  /** mean ‖after attention − h_{l−1}‖, when the model exposes the mid-layer residual */
  attention: number | null
  /** mean ‖h_l − after attention‖, likewise */
  feedForward: number | null
  /** ‖h_l − h_{l−1}‖ at each position */
  perPosition: number[]
}

function rowDistance(a: ArrayLike<number>, b: ArrayLike<number>, at: number, size: number) {
  let s = 0
  for (let i = at; i < at + size; i++) {
    const d = a[i] - b[i]
    s += d * d
  }
  return Math.sqrt(s)
}

function rowNorm(a: ArrayLike<number>, at: number, size: number) {
  let s = 0
  for (let i = at; i < at + size; i++) s += a[i] * a[i]
  return Math.sqrt(s)
}

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length)

/**
 * Per-layer contribution norms of the residual stream. A pre-norm transformer block is
 * h_l = h_{l−1} + Attn(·) + FFN(·), so ‖h_l − h_{l−1}‖ is exactly what the block wrote.
 * Splitting it into attention and feed-forward needs the residual between the two
 * (postAttention[l-1]); without it those fields are null.
 */
export function layerContributions(
  hidden: ArrayLike<number>[],
  positions: number,
  hiddenSize: number,
  postAttention?: ArrayLike<number>[],
): LayerContribution[] {
  const out: LayerContribution[] = []
  for (let l = 1; l < hidden.length; l++) {
    const prev = hidden[l - 1]
    const cur = hidden[l]
    const mid = postAttention?.[l - 1]
    const perPosition: number[] = []
    const before: number[] = []
    const attn: number[] = []
    const ffn: number[] = []
    for (let p = 0; p < positions; p++) {
      const at = p * hiddenSize
      perPosition.push(rowDistance(cur, prev, at, hiddenSize))
      before.push(rowNorm(prev, at, hiddenSize))
      if (mid) {
        attn.push(rowDistance(mid, prev, at, hiddenSize))
        ffn.push(rowDistance(cur, mid, at, hiddenSize))
      }
    }
    const total = mean(perPosition)
    const base = mean(before)
    out.push({
      layer: l,
      total,
      relative: base > 0 ? total / base : 0,
      attention: mid ? mean(attn) : null,
      feedForward: mid ? mean(ffn) : null,
      perPosition,
    })
  }
  return out
}
