/** A next-token candidate: its id, logit and probability under softmax over the whole vocabulary. */
export interface Candidate {
  id: number
  logit: number
  prob: number
}

/**
 * Softmax over a vocabulary row. Subtracting the max first keeps exp() finite; sums are
 * accumulated in float64 so a 150k-entry vocabulary does not lose the small probabilities.
 */
export function softmax(logits: ArrayLike<number>): Float64Array {
  let max = -Infinity
  for (let i = 0; i < logits.length; i++) if (logits[i] > max) max = logits[i]
  const out = new Float64Array(logits.length)
  let sum = 0
  for (let i = 0; i < logits.length; i++) {
    const e = Math.exp(logits[i] - max)
    out[i] = e
    sum += e
  }
  for (let i = 0; i < out.length; i++) out[i] /= sum
  return out
}

/** log Σ exp(logits), the softmax denominator, so one probability can be read without a full row. */
export function logSumExp(logits: ArrayLike<number>): number {
  let max = -Infinity
  for (let i = 0; i < logits.length; i++) if (logits[i] > max) max = logits[i]
  let sum = 0
  for (let i = 0; i < logits.length; i++) sum += Math.exp(logits[i] - max)
  return max + Math.log(sum)
}

/**
 * The k most likely tokens, most likely first (ties: lower id first). One pass with a small
 * sorted buffer: k is tiny next to the vocabulary, so this beats sorting 50k entries.
 */
export function topK(logits: ArrayLike<number>, k: number): Candidate[] {
  const n = Math.min(k, logits.length)
  const ids: number[] = []
  for (let i = 0; i < logits.length; i++) {
    const v = logits[i]
    if (ids.length === n && !(v > logits[ids[n - 1]])) continue
    let at = ids.length === n ? n - 1 : ids.length
    while (at > 0 && v > logits[ids[at - 1]]) at--
    ids.splice(at, 0, i)
    if (ids.length > n) ids.pop()
  }
  const lse = logSumExp(logits)
  return ids.map((id) => ({ id, logit: logits[id], prob: Math.exp(logits[id] - lse) }))
}

/** Probability of one token and its rank (0 = the model's first choice). */
export function probabilityOf(
  logits: ArrayLike<number>,
  id: number,
): { prob: number; rank: number } {
  const v = logits[id]
  let rank = 0
  for (let i = 0; i < logits.length; i++) {
    if (logits[i] > v || (logits[i] === v && i < id)) rank++
  }
  return { prob: Math.exp(v - logSumExp(logits)), rank }
}
