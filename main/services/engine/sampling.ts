// Next-token sampling over one step's logits. Pure TypeScript, no allocation of vocab-sized
// arrays per step beyond two scratch buffers, because it runs once per generated token and
// its cost counts against the bare decode step (bench/chat.ts measures that fraction).

export interface SamplingParams {
  /** 0 (or greedy) picks the most likely token. */
  temperature: number
  /** 0 disables. */
  topK: number
  /** 1 disables. */
  topP: number
  /** 0 disables; keeps tokens whose probability is at least minP × the top one's. */
  minP: number
  /** 1 disables; CTRL (Keskar et al. 2019) as in HF's RepetitionPenaltyLogitsProcessor. */
  repetitionPenalty: number
  greedy: boolean
  seed: number
}

export const defaultSamplingParams: SamplingParams = {
  temperature: 0.7,
  topK: 40,
  topP: 0.95,
  minP: 0.05,
  repetitionPenalty: 1.1,
  greedy: false,
  seed: 42,
}

export interface TokenChoice {
  tokenId: number
  /** log-probability under the model's own distribution (softmax of the raw logits). */
  logprob: number
}

export interface SampledToken extends TokenChoice {
  /** The most likely tokens under the model's own distribution, best first. */
  top: TokenChoice[]
}

/** mulberry32: a small seeded PRNG, so that the same seed gives the same text. */
export function createRng(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** log-sum-exp of the logits, stable. */
export function logSumExp(logits: ArrayLike<number>): number {
  let max = -Infinity
  for (let i = 0; i < logits.length; i++) if (logits[i] > max) max = logits[i]
  let sum = 0
  for (let i = 0; i < logits.length; i++) sum += Math.exp(logits[i] - max)
  return max + Math.log(sum)
}

/** The k largest entries, best first (partial selection: O(V·k), k is small). */
export function topEntries(values: ArrayLike<number>, k: number): number[] {
  const ids: number[] = []
  for (let i = 0; i < values.length; i++) {
    const v = values[i]
    if (ids.length === k && v <= values[ids[k - 1]]) continue
    let pos = ids.length < k ? ids.length : k - 1
    while (pos > 0 && values[ids[pos - 1]] < v) pos--
    ids.splice(pos, 0, i)
    if (ids.length > k) ids.pop()
  }
  return ids
}

/** HF's repetition penalty: divide positive logits, multiply negative ones, once per token. */
export function applyRepetitionPenalty(
  logits: Float32Array,
  previous: Iterable<number>,
  penalty: number,
): void {
  if (penalty === 1) return
  const seen = new Set<number>()
  for (const id of previous) {
    if (seen.has(id) || id < 0 || id >= logits.length) continue
    seen.add(id)
    const l = logits[id]
    logits[id] = l > 0 ? l / penalty : l * penalty
  }
}

/**
 * The probabilities the sampler draws from, after the processors in HF's order:
 * repetition penalty, temperature, top-k, top-p, min-p. Returns candidate ids with their
 * renormalized probabilities (ids best first). Exposed for the tests; `sampleToken` uses it.
 */
export function samplingDistribution(
  rawLogits: ArrayLike<number>,
  previous: Iterable<number>,
  params: SamplingParams,
  banned: readonly number[] = [],
): { ids: number[]; probs: number[] } {
  const logits = Float32Array.from(rawLogits)
  for (const id of banned) logits[id] = -Infinity
  applyRepetitionPenalty(logits, previous, params.repetitionPenalty)
  if (params.greedy || params.temperature <= 0) {
    return { ids: topEntries(logits, 1), probs: [1] }
  }
  const invT = 1 / params.temperature
  let max = -Infinity
  for (let i = 0; i < logits.length; i++) if (logits[i] > max) max = logits[i]
  // Probabilities are renormalized over the survivors at each cut, so the full partition
  // function (an exp over the whole vocabulary) is only needed to size the top-p window.
  let ids: number[]
  if (params.topK <= 0 && params.topP >= 1) {
    // No rank-based cut: min-p alone is a threshold, so no sort of the vocabulary is needed.
    const floor = params.minP > 0 ? max + Math.log(params.minP) / invT : -Infinity
    ids = candidatesAbove(logits, floor)
  } else if (params.topK > 0 && params.topK < logits.length) {
    // Top-k first (HF's order): the k-th largest logit by selection, O(V), then sort only k.
    ids = sortByLogit(logits, candidatesAbove(logits, kthLargest(logits, params.topK)))
  } else {
    // Top-p alone: only tokens near the best can be in the nucleus; the cut is exact when the
    // window holds top_p of the mass, else the whole vocabulary is sorted.
    ids = candidatesAbove(logits, max - 12 / invT)
    const total = sumExpAll(logits, max, invT)
    if (sumExp(logits, ids, max, invT) / total < params.topP) {
      ids = Array.from({ length: logits.length }, (_, i) => i)
    }
    ids = sortByLogit(logits, ids)
  }
  let probs = ids.map((id) => Math.exp((logits[id] - max) * invT))
  const z0 = probs.reduce((a, b) => a + b, 0)
  probs = probs.map((p) => p / z0)

  if (params.topK > 0 && ids.length > params.topK) {
    ids = ids.slice(0, params.topK)
    probs = probs.slice(0, params.topK)
  }
  if (params.topP < 1) {
    // HF keeps the smallest prefix whose mass (renormalized after top-k) reaches top_p.
    const z = probs.reduce((s, p) => s + p, 0)
    let cum = 0
    let keep = ids.length
    for (let i = 0; i < ids.length; i++) {
      cum += probs[i] / z
      if (cum >= params.topP) {
        keep = i + 1
        break
      }
    }
    ids = ids.slice(0, keep)
    probs = probs.slice(0, keep)
  }
  if (params.minP > 0) {
    // HF's MinPLogitsWarper: the threshold scales with the most likely token's probability.
    let best = 0
    for (const p of probs) if (p > best) best = p
    const threshold = params.minP * best
    const kept = ids.map((_, i) => i).filter((i) => probs[i] >= threshold)
    ids = kept.map((i) => ids[i])
    probs = kept.map((i) => probs[i])
  }
  const z = probs.reduce((s, p) => s + p, 0)
  return { ids, probs: probs.map((p) => p / z) }
}

/** The k-th largest value (Hoare's quickselect on a copy). */
export function kthLargest(values: Float32Array, k: number): number {
  const a = Float32Array.from(values)
  let lo = 0
  let hi = a.length - 1
  const target = k - 1
  while (lo < hi) {
    const pivot = a[(lo + hi) >> 1]
    let i = lo
    let j = hi
    while (i <= j) {
      while (a[i] > pivot) i++
      while (a[j] < pivot) j--
      if (i <= j) {
        const t = a[i]
        a[i] = a[j]
        a[j] = t
        i++
        j--
      }
    }
    if (target <= j) hi = j
    else if (target >= i) lo = i
    else break
  }
  return a[target]
}

const keyScratch = { buf: new Float64Array(0) }

/**
 * Ids sorted by logit, best first. A comparator sort of 50k ids costs tens of ms; instead
 * each id is packed with its logit's order-preserving bits into one exact float64 and the
 * typed array is sorted natively.
 */
export function sortByLogit(logits: Float32Array, ids: number[]): number[] {
  const n = ids.length
  if (keyScratch.buf.length < n) keyScratch.buf = new Float64Array(n)
  const keys = keyScratch.buf.subarray(0, n)
  const bits = new Uint32Array(new Float32Array(1).buffer)
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

function candidatesAbove(logits: Float32Array, threshold: number): number[] {
  const ids: number[] = []
  for (let i = 0; i < logits.length; i++) if (logits[i] >= threshold) ids.push(i)
  return ids
}

function sumExp(logits: Float32Array, ids: number[], max: number, invT: number): number {
  let s = 0
  for (const id of ids) s += Math.exp((logits[id] - max) * invT)
  return s
}

function sumExpAll(logits: Float32Array, max: number, invT: number): number {
  let s = 0
  for (let i = 0; i < logits.length; i++) s += Math.exp((logits[i] - max) * invT)
  return s
}

/** Draws the next token and reports it with the model's own log-probabilities. */
export function sampleToken(
  rawLogits: Float32Array,
  previous: Iterable<number>,
  params: SamplingParams,
  rng: () => number,
  topN = 5,
  banned: readonly number[] = [],
): SampledToken {
  const { ids, probs } = samplingDistribution(rawLogits, previous, params, banned)
  let tokenId = ids[0]
  if (ids.length > 1) {
    const u = rng()
    let cum = 0
    tokenId = ids[ids.length - 1]
    for (let i = 0; i < ids.length; i++) {
      cum += probs[i]
      if (u < cum) {
        tokenId = ids[i]
        break
      }
    }
  }
  // Reported probabilities are the model's (temperature 1, no penalty): what the learning
  // views explain, independent of the knobs that shaped the draw.
  const lse = logSumExp(rawLogits)
  const top = topEntries(rawLogits, topN).map((id) => ({
    tokenId: id,
    logprob: rawLogits[id] - lse,
  }))
  return { tokenId, logprob: rawLogits[tokenId] - lse, top }
}
