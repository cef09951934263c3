// Passes over one step's logits (a vocabulary of ~50k floats) that the sampler makes per
// generated token. Each is a single linear scan with no vocab-sized allocation: on a
// SmolLM2-sized model a full sort or an extra copy per token is a visible share of the
// decode step (bench/chat.ts), and a flat distribution (random weights, high temperature)
// is the worst case for anything that sorts.

/** Scratch that survives calls: the sampler runs once per token, synchronously. */
const scratch = { heap: new Float64Array(64), keys: new Float64Array(0) }

/**
 * The k-th largest value, repeats counted (as the k-th entry of a descending sort), for
 * 1 ≤ k ≤ length. One pass with a min-heap of the k best so far: a value enters only when it
 * beats the heap's smallest, which on a shuffled vocabulary is rare (about k·ln(V/k) times).
 */
export function kthLargest(values: ArrayLike<number>, k: number): number {
  if (scratch.heap.length < k) scratch.heap = new Float64Array(k)
  const heap = scratch.heap
  for (let i = 0; i < k; i++) {
    // Sift up.
    let pos = i
    const v = values[i]
    while (pos > 0) {
      const parent = (pos - 1) >> 1
      if (heap[parent] <= v) break
      heap[pos] = heap[parent]
      pos = parent
    }
    heap[pos] = v
  }
  for (let i = k; i < values.length; i++) {
    const v = values[i]
    if (!(v > heap[0])) continue
    // Replace the smallest and sift down.
    let pos = 0
    for (;;) {
      let child = 2 * pos + 1
      if (child >= k) break
      if (child + 1 < k && heap[child + 1] < heap[child]) child++
      if (heap[child] >= v) break
      heap[pos] = heap[child]
      pos = child
    }
    heap[pos] = v
  }
  return heap[0]
}

/**
 * The k largest entries' ids, best first; among equal values the smaller id first, and an
 * entry equal to the current k-th does not displace it. k is small (top alternatives), so
 * the cut is held in a local and the insertion only runs for a new member.
 */
export function topEntries(values: ArrayLike<number>, k: number): number[] {
  const ids: number[] = []
  if (k <= 0) return ids
  let cut = -Infinity
  for (let i = 0; i < values.length; i++) {
    const v = values[i]
    if (ids.length === k && v <= cut) continue
    let pos = ids.length < k ? ids.length : k - 1
    while (pos > 0 && values[ids[pos - 1]] < v) pos--
    ids.splice(pos, 0, i)
    if (ids.length > k) ids.pop()
    if (ids.length === k) cut = values[ids[k - 1]]
  }
  return ids
}

/** The largest value. */
export function maxOf(values: ArrayLike<number>): number {
  let max = -Infinity
  for (let i = 0; i < values.length; i++) if (values[i] > max) max = values[i]
  return max
}

// e^d for d ≤ 0 without Math.exp, which V8 runs as a call out of compiled code (~15 ns; 49k
// of them were the largest part of the sampler's time). With t = 64·d = -n + f (n ≥ 0 an
// integer, f in [0, 1)): e^d = e^-h · e^((64h - n)/64) · e^(f/64), h = ⌈n/64⌉, two table
// lookups and a degree-5 Taylor polynomial on [0, 1/64) (remainder under 1e-14 relative).
const expNegInt = Float64Array.from({ length: 746 }, (_, i) => Math.exp(-i))
const expSixtyFourths = Float64Array.from({ length: 64 }, (_, i) => Math.exp(i / 64))

/** log Σ exp(values), given their maximum (each term ≤ 1; within ~1e-14 of Math.exp's). */
export function logSumExpFrom(values: ArrayLike<number>, max: number): number {
  let sum = 0
  for (let i = 0; i < values.length; i++) {
    const t = (values[i] - max) * 64
    // Below e^-745 a term is 0 in float64 (and a banned token's -Infinity lands here too).
    if (!(t > -47680)) continue
    const k = Math.floor(t)
    const u = (t - k) / 64
    const h = (63 - k) >> 6
    const p = 1 + u * (1 + u * (1 / 2 + u * (1 / 6 + u * (1 / 24 + u * (1 / 120)))))
    sum += expNegInt[h] * expSixtyFourths[(h << 6) + k] * p
  }
  return max + Math.log(sum)
}

/** Ids of the entries at or above the threshold, in id order. */
export function candidatesAbove(values: ArrayLike<number>, threshold: number): number[] {
  const ids: number[] = []
  for (let i = 0; i < values.length; i++) if (values[i] >= threshold) ids.push(i)
  return ids
}

/**
 * Ids sorted by value, best first. A comparator sort of 50k ids costs tens of ms; instead
 * each id is packed with its value's order-preserving bits into one exact float64 and the
 * typed array is sorted natively.
 */
export function sortByLogit(logits: ArrayLike<number>, ids: number[]): number[] {
  const n = ids.length
  if (scratch.keys.length < n) scratch.keys = new Float64Array(n)
  const keys = scratch.keys.subarray(0, n)
  const bits = new Uint32Array(1)
  const f = new Float32Array(bits.buffer)
  const idBits = 2 ** 20
  for (let i = 0; i < n; i++) {
    f[0] = logits[ids[i]]
    // IEEE-754 order as unsigned integers: flip all bits of negatives, the sign of positives.
    const u = bits[0] & 0x80000000 ? ~bits[0] >>> 0 : (bits[0] | 0x80000000) >>> 0
    // Larger logit first; equal logits keep the smaller id first (as a stable sort would).
    keys[i] = (0xffffffff - u) * idBits + ids[i]
  }
  keys.sort()
  const out = new Array<number>(n)
  for (let i = 0; i < n; i++) out[i] = keys[i] % idBits
  return out
}
