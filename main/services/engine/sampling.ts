// Next-token sampling over one step's logits. Pure TypeScript, no vocab-sized allocation per
// step (scratch buffers are reused), because it runs once per generated token and its cost
// counts against the bare decode step (bench/chat.ts measures that fraction).
import {
  candidatesAbove,
  kthLargest,
  logSumExpFrom,
  maxOf,
  sortByLogit,
  topEntries,
} from './logitScan'

import { seededRandom } from '../../../native-models/random/seededRandom'
import type { LogitSummary, StepLogits } from '../../../native-models/runtime/types'

export { kthLargest, sortByLogit, topEntries } from './logitScan'

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

/**
 * Changes one step's working logits in place before the cuts (OpenAI's penalties and logit
 * bias, a schema's token mask), as transformers.js' LogitsProcessor list does.
 */
export type LogitsProcessor = (logits: Float32Array) => void

/**
 * OpenAI's presence and frequency penalties and logit bias as one processor (the API's
 * definition: logit − count × frequency − (count > 0) × presence, then + bias), or null
 * when none applies. `generated` is the completion so far, not the prompt.
 */
export function penaltyProcessor(
  generated: readonly number[],
  opts: { presencePenalty?: number; frequencyPenalty?: number; logitBias?: Record<string, number> },
): LogitsProcessor | null {
  const presence = opts.presencePenalty ?? 0
  const frequency = opts.frequencyPenalty ?? 0
  const bias = Object.entries(opts.logitBias ?? {}).map(([id, b]) => [Number(id), b] as const)
  if (presence === 0 && frequency === 0 && bias.length === 0) return null
  return (logits) => {
    if (presence !== 0 || frequency !== 0) {
      const counts = new Map<number, number>()
      for (const id of generated) counts.set(id, (counts.get(id) ?? 0) + 1)
      for (const [id, n] of counts) {
        if (id >= 0 && id < logits.length) logits[id] -= n * frequency + presence
      }
    }
    for (const [id, b] of bias) if (id >= 0 && id < logits.length) logits[id] += b
  }
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

/** The sampler's seeded generator: the same seed gives the same text. */
export const createRng = seededRandom

/** log-sum-exp of the logits, stable. */
export function logSumExp(logits: ArrayLike<number>): number {
  return logSumExpFrom(logits, maxOf(logits))
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
  summary?: LogitSummary,
  process?: LogitsProcessor,
): { ids: number[]; probs: number[] } {
  const logits = workingCopy(rawLogits)
  for (const id of banned) logits[id] = -Infinity
  applyRepetitionPenalty(logits, previous, params.repetitionPenalty)
  // A processor may raise any token (logit bias), so the summary's top K no longer bounds
  // the rest of the vocabulary.
  process?.(logits)
  const greedy = isGreedy(params)
  const fromSummary =
    !process && summary && topFromSummary(logits, summary, previous, banned, params)
  if (greedy) return { ids: fromSummary ? [fromSummary[0]] : topEntries(logits, 1), probs: [1] }
  const invT = 1 / params.temperature
  // Probabilities are renormalized over the survivors at each cut, so the full partition
  // function (an exp over the whole vocabulary) is only needed to size the top-p window.
  let ids: number[]
  let max: number
  if (fromSummary) {
    ids = fromSummary
    max = logits[ids[0]]
  } else if (params.topK > 0 && params.topK < logits.length) {
    // Top-k first (HF's order): the k-th largest logit in one pass, then sort only those at or
    // above it (ties included, as before the cut below). The best of them is the maximum.
    ids = sortByLogit(logits, candidatesAbove(logits, kthLargest(logits, params.topK)))
    max = logits[ids[0]]
  } else if (params.topK <= 0 && params.topP >= 1) {
    // No rank-based cut: min-p alone is a threshold, so no sort of the vocabulary is needed.
    max = maxOf(logits)
    const floor = params.minP > 0 ? max + Math.log(params.minP) / invT : -Infinity
    ids = candidatesAbove(logits, floor)
  } else {
    // Top-p alone: only tokens near the best can be in the nucleus; the cut is exact when the
    // window holds top_p of the mass, else the whole vocabulary is sorted.
    max = maxOf(logits)
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
  if (process) {
    // A mask leaves tokens at -Infinity; without top-k or min-p they would stay as
    // zero-probability candidates that a rounding draw could still land on.
    const kept = ids.map((_, i) => i).filter((i) => probs[i] > 0)
    ids = kept.map((i) => ids[i])
    probs = kept.map((i) => probs[i])
  }
  const z = probs.reduce((s, p) => s + p, 0)
  return { ids, probs: probs.map((p) => p / z) }
}

/**
 * The ids the top-k branch below would keep (the k best after the processors, ties at the
 * k-th included, best first), found from the graph's summary without a pass over the
 * vocabulary, or null when the summary cannot settle it. Every token outside the summary's
 * top K that no processor touched keeps a logit at or below the K-th, so when at least k
 * of the summary's and the touched tokens stay strictly above it, the cut lies among them.
 */
export function topFromSummary(
  logits: Float32Array,
  summary: LogitSummary,
  previous: Iterable<number>,
  banned: readonly number[],
  params: SamplingParams,
): number[] | null {
  const k = isGreedy(params) ? 1 : params.topK
  const { topIds, topLogits } = summary
  if (k <= 0 || k >= logits.length || k > topIds.length) return null
  const floor = topLogits.length < logits.length ? topLogits[topLogits.length - 1] : -Infinity
  const candidates = new Set<number>(topIds)
  for (const id of previous) if (id >= 0 && id < logits.length) candidates.add(id)
  for (const id of banned) candidates.add(id)
  const above = [...candidates].filter((id) => logits[id] > floor)
  if (above.length < k) return null
  const sorted = sortByLogit(logits, above)
  const kth = logits[sorted[k - 1]]
  let n = k
  while (n < sorted.length && logits[sorted[n]] >= kth) n++
  return sorted.slice(0, n)
}

/** Temperature 0 draws like greedy: the most likely token. */
function isGreedy(params: SamplingParams): boolean {
  return params.greedy || params.temperature <= 0
}

const working = { logits: new Float32Array(0) }

/** The logits the processors may change: a reused buffer, not a fresh 200 KB per token. */
function workingCopy(raw: ArrayLike<number>): Float32Array {
  if (working.logits.length !== raw.length) working.logits = new Float32Array(raw.length)
  working.logits.set(raw)
  return working.logits
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
  rawLogits: StepLogits,
  previous: Iterable<number>,
  params: SamplingParams,
  rng: () => number,
  topN = 5,
  banned: readonly number[] = [],
  process?: LogitsProcessor,
): SampledToken {
  const summary = rawLogits.summary
  const { ids, probs } = samplingDistribution(rawLogits, previous, params, banned, summary, process)
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
  // The top entries' first is the maximum, so the log-sum-exp needs one more pass, not two;
  // the fused graph's summary has both.
  const known = summary && topN <= summary.topIds.length
  const topIds = known ? Array.from(summary.topIds) : topEntries(rawLogits, Math.max(topN, 1))
  const lse = known ? summary.logSumExp : logSumExpFrom(rawLogits, rawLogits[topIds[0]])
  const top = topIds.slice(0, topN).map((id) => ({
    tokenId: id,
    logprob: rawLogits[id] - lse,
  }))
  return { tokenId, logprob: rawLogits[tokenId] - lse, top }
}
