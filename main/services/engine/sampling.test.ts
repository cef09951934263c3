import { describe, expect, it } from 'vitest'
import {
  applyRepetitionPenalty,
  createRng,
  defaultSamplingParams,
  logSumExp,
  sampleToken,
  samplingDistribution,
  topEntries,
  topFromSummary,
  type SamplingParams,
} from './sampling'

const off: SamplingParams = {
  temperature: 1,
  topK: 0,
  topP: 1,
  minP: 0,
  repetitionPenalty: 1,
  greedy: false,
  seed: 1,
}

/** Logits whose softmax is exactly `probs` (log of probabilities). */
const fromProbs = (probs: number[]) => Float32Array.from(probs.map(Math.log))

function asMap(d: { ids: number[]; probs: number[] }): Record<number, number> {
  return Object.fromEntries(d.ids.map((id, i) => [id, d.probs[i]]))
}

describe('sampling maths on known logits', () => {
  it('repetition penalty divides positive and multiplies negative logits, once per token', () => {
    const logits = Float32Array.from([2, -1, 0.5, 3])
    applyRepetitionPenalty(logits, [0, 1, 1, 0], 2)
    expect(Array.from(logits)).toEqual([1, -2, 0.5, 3])
  })

  it('temperature divides the logits before the softmax', () => {
    const logits = [1, 2, 3]
    const d = asMap(samplingDistribution(logits, [], { ...off, temperature: 0.5 }))
    const e = [Math.exp(2), Math.exp(4), Math.exp(6)]
    const z = e[0] + e[1] + e[2]
    expect(d[0]).toBeCloseTo(e[0] / z, 6)
    expect(d[1]).toBeCloseTo(e[1] / z, 6)
    expect(d[2]).toBeCloseTo(e[2] / z, 6)
  })

  it('top-k keeps the k best and renormalizes', () => {
    const d = samplingDistribution(fromProbs([0.1, 0.5, 0.3, 0.1]), [], { ...off, topK: 2 })
    expect(d.ids).toEqual([1, 2])
    expect(d.probs[0]).toBeCloseTo(0.5 / 0.8, 6)
    expect(d.probs[1]).toBeCloseTo(0.3 / 0.8, 6)
  })

  it('top-p keeps the smallest prefix that reaches p', () => {
    const logits = fromProbs([0.05, 0.5, 0.15, 0.3])
    expect(samplingDistribution(logits, [], { ...off, topP: 0.75 }).ids).toEqual([1, 3])
    expect(samplingDistribution(logits, [], { ...off, topP: 0.9 }).ids).toEqual([1, 3, 2])
    expect(samplingDistribution(logits, [], { ...off, topP: 0.4 }).ids).toEqual([1])
  })

  it('min-p drops tokens under min_p times the best probability', () => {
    const d = samplingDistribution(fromProbs([0.05, 0.5, 0.15, 0.3]), [], { ...off, minP: 0.25 })
    expect(d.ids.slice().sort()).toEqual([1, 2, 3])
    const m = asMap(d)
    expect(m[2]).toBeCloseTo(0.15 / 0.95, 6)
  })

  it('greedy takes the argmax after the repetition penalty', () => {
    const logits = Float32Array.from([1, 4, 3.5])
    const p = { ...off, greedy: true, repetitionPenalty: 1.5 }
    expect(sampleToken(logits, [], p, createRng(1)).tokenId).toBe(1)
    // 4 / 1.5 = 2.67 < 3.5: the penalty moves the argmax.
    expect(sampleToken(logits, [1], p, createRng(1)).tokenId).toBe(2)
  })

  it('the fast windowed path equals a brute-force reference on a large vocabulary', () => {
    const rng = createRng(7)
    const logits = Float32Array.from({ length: 5000 }, () => (rng() - 0.5) * 30)
    for (const p of [
      { ...off, topK: 40, temperature: 0.7 },
      { ...off, topP: 0.9, temperature: 1.3 },
      { ...off, topK: 100, topP: 0.95, minP: 0.05, temperature: 0.8 },
      { ...off, topP: 0.999999, temperature: 5 },
    ]) {
      const got = asMap(samplingDistribution(logits, [], p))
      // Reference: sort everything, then the HF warpers one after another.
      let ids = Array.from(logits.keys()).sort((a, b) => logits[b] - logits[a])
      const w = ids.map((i) => Math.exp(logits[i] / p.temperature))
      let probs = w.map((x) => x / w.reduce((s, y) => s + y, 0))
      if (p.topK > 0) {
        ids = ids.slice(0, p.topK)
        probs = probs.slice(0, p.topK)
      }
      const z = probs.reduce((s, y) => s + y, 0)
      let cum = 0
      const keep = probs.findIndex((x) => (cum += x / z) >= p.topP)
      ids = ids.slice(0, keep + 1)
      probs = probs.slice(0, keep + 1)
      const kept = ids.filter((_, i) => probs[i] >= p.minP * probs[0])
      expect(Object.keys(got).map(Number).sort()).toEqual(kept.slice().sort())
      const z2 = kept.reduce((s, id) => s + probs[ids.indexOf(id)], 0)
      for (const id of kept) expect(got[id]).toBeCloseTo(probs[ids.indexOf(id)] / z2, 6)
    }
  })

  it('draws tokens with the frequencies of the distribution', () => {
    const logits = fromProbs([0.6, 0.3, 0.1])
    const rng = createRng(123)
    const counts = [0, 0, 0]
    for (let i = 0; i < 20000; i++) counts[sampleToken(logits, [], off, rng).tokenId]++
    expect(counts[0] / 20000).toBeCloseTo(0.6, 1)
    expect(counts[1] / 20000).toBeCloseTo(0.3, 1)
    expect(counts[2] / 20000).toBeCloseTo(0.1, 1)
  })

  it('reports the model log-probability and the top alternatives, best first', () => {
    const logits = fromProbs([0.1, 0.2, 0.3, 0.05, 0.15, 0.2])
    const t = sampleToken(logits, [], { ...off, greedy: true }, createRng(1))
    expect(t.tokenId).toBe(2)
    expect(t.logprob).toBeCloseTo(Math.log(0.3), 5)
    expect(t.top.map((c) => c.tokenId)).toEqual([2, 1, 5, 4, 0])
    expect(t.top[4].logprob).toBeCloseTo(Math.log(0.1), 5)
  })
})

describe('seeded reproducibility', () => {
  const draw = (seed: number) => {
    const rng = createRng(seed)
    const logits = Float32Array.from({ length: 300 }, (_, i) => Math.sin(i * 1.7) * 3)
    return Array.from(
      { length: 50 },
      () => sampleToken(logits, [], defaultSamplingParams, rng).tokenId,
    )
  }
  it('the same seed gives the same tokens, another seed other tokens', () => {
    expect(draw(5)).toEqual(draw(5))
    expect(draw(5)).not.toEqual(draw(6))
  })
})

/**
 * The straightforward sampler: copy, penalize, sort the whole vocabulary (ties by id),
 * softmax over all of it, then HF's warpers one after another. Slow and obviously right.
 */
function straightforward(
  raw: Float32Array,
  previous: number[],
  p: SamplingParams,
  banned: number[],
): { ids: number[]; probs: number[] } {
  const logits = Float32Array.from(raw)
  for (const id of banned) logits[id] = -Infinity
  applyRepetitionPenalty(logits, previous, p.repetitionPenalty)
  let ids = Array.from(logits.keys()).sort((a, b) => logits[b] - logits[a] || a - b)
  if (p.greedy || p.temperature <= 0) return { ids: ids.slice(0, 1), probs: [1] }
  // A banned token (-Infinity) has probability 0: it is never a candidate.
  ids = ids.filter((id) => logits[id] > -Infinity)
  const max = logits[ids[0]]
  let probs = ids.map((id) => Math.exp((logits[id] - max) / p.temperature))
  const norm = (xs: number[]) => {
    const z = xs.reduce((s, y) => s + y, 0)
    return xs.map((x) => x / z)
  }
  probs = norm(probs)
  if (p.topK > 0) {
    ids = ids.slice(0, p.topK)
    probs = norm(probs.slice(0, p.topK))
  }
  if (p.topP < 1) {
    let cum = 0
    const keep = probs.findIndex((x) => (cum += x) >= p.topP)
    const n = keep < 0 ? ids.length : keep + 1
    ids = ids.slice(0, n)
    probs = probs.slice(0, n)
  }
  if (p.minP > 0) {
    const floor = p.minP * probs[0]
    const kept = ids.map((_, i) => i).filter((i) => probs[i] >= floor)
    ids = kept.map((i) => ids[i])
    probs = kept.map((i) => probs[i])
  }
  return { ids, probs: norm(probs) }
}

function support(d: { ids: number[]; probs: number[] }) {
  const keep = d.ids.map((_, i) => i).filter((i) => d.probs[i] > 0)
  return { ids: keep.map((i) => d.ids[i]), probs: keep.map((i) => d.probs[i]) }
}

/** The draw sampleToken makes from a distribution: the first id whose cumulative mass > u. */
function draw(d: { ids: number[]; probs: number[] }, rng: () => number): number {
  if (d.ids.length === 1) return d.ids[0]
  const u = rng()
  let cum = 0
  for (let i = 0; i < d.ids.length; i++) if (u < (cum += d.probs[i])) return d.ids[i]
  return d.ids[d.ids.length - 1]
}

describe('the fast sampler equals the straightforward one', () => {
  const rng = createRng(2024)
  const n = 3000
  const levels = Array.from({ length: 500 }, () => (rng() - 0.5) * 8)
  const shapes: Record<string, Float32Array> = {
    flat: Float32Array.from({ length: n }, () => (rng() - 0.5) * 4),
    peaked: Float32Array.from({ length: n }, () => (rng() - 0.5) ** 3 * 80),
    // Repeated values, ~6 tokens each, at irregular levels (integer levels would put the
    // top-p boundary exactly on a cumulative sum, where either rounding is right).
    ties: Float32Array.from({ length: n }, () => levels[Math.floor(rng() * levels.length)]),
  }
  const previous = Array.from({ length: 400 }, () => Math.floor(rng() * n))
  const banned = [0, 7]
  const settings: SamplingParams[] = [{ ...defaultSamplingParams, greedy: true }]
  for (const temperature of [0.5, 1, 1.6])
    for (const topK of [0, 1, 7, 40, n + 1])
      for (const topP of [1, 0.9, 0.3])
        for (const minP of [0, 0.05, 0.5])
          for (const repetitionPenalty of [1, 1.3])
            settings.push({
              temperature,
              topK,
              topP,
              minP,
              repetitionPenalty,
              greedy: false,
              seed: 1,
            })

  for (const [name, logits] of Object.entries(shapes)) {
    it(`on ${name} logits, for ${settings.length} settings: same candidates, order, odds, draws`, () => {
      for (const p of settings) {
        // A zero-probability candidate (a banned token where no cut removes it) is no choice.
        const fast = support(samplingDistribution(logits, previous, p, banned))
        const slow = straightforward(logits, previous, p, banned)
        // Without a rank-based cut the order is the vocabulary's, not the logits' (no sort).
        const ranked = p.greedy || p.topK > 0 || p.topP < 1
        const byId = (d: { ids: number[] }) =>
          ranked ? d.ids : d.ids.slice().sort((a, b) => a - b)
        expect(byId(fast), JSON.stringify(p)).toEqual(byId(slow))
        const slowProb = new Map(slow.ids.map((id, i) => [id, slow.probs[i]]))
        fast.ids.forEach((id, i) => expect(fast.probs[i]).toBeCloseTo(slowProb.get(id)!, 12))
        if (!ranked) continue
        const a = createRng(p.seed)
        const b = createRng(p.seed)
        for (let t = 0; t < 20; t++) {
          expect(sampleToken(logits, previous, p, a, 5, banned).tokenId).toBe(draw(slow, b))
        }
      }
    })
  }
})

describe('the graph’s logit summary gives the same sampling as a scan of the vocabulary', () => {
  const rng = createRng(7)
  const n = 3000
  const logits = Float32Array.from({ length: n }, () => (rng() - 0.5) ** 3 * 40)
  // What the fused graph outputs (arch/common.ts): the 64 largest, best first, and log Σ exp.
  const topIds = Int32Array.from(topEntries(logits, 64))
  // Earlier tokens among the best: the penalty pushes them down, below tokens the summary
  // does not list, where the summary must give way to the scan.
  const previous = [
    ...Array.from({ length: 60 }, () => Math.floor(rng() * n)),
    ...Array.from({ length: 30 }, (_, i) => topIds[2 * i]),
  ]
  const summary = {
    topIds,
    topLogits: Float32Array.from(topIds, (id) => logits[id]),
    logSumExp: logSumExp(logits),
  }
  const settings: SamplingParams[] = [{ ...defaultSamplingParams, greedy: true }]
  for (const topK of [0, 1, 20, 40, 64, 65])
    for (const repetitionPenalty of [1, 1.3, 4])
      for (const minP of [0, 0.05])
        settings.push({ ...defaultSamplingParams, topK, repetitionPenalty, minP, topP: 0.9 })

  it(`for ${settings.length} settings: identical candidates and probabilities`, () => {
    let settled = 0
    for (const p of settings) {
      const withSummary = samplingDistribution(logits, previous, p, [3], summary)
      expect(withSummary, JSON.stringify(p)).toEqual(samplingDistribution(logits, previous, p, [3]))
      const penalized = Float32Array.from(logits)
      applyRepetitionPenalty(penalized, previous, p.repetitionPenalty)
      penalized[3] = -Infinity
      if (topFromSummary(penalized, summary, previous, [3], p)) settled++
    }
    // Both ways are taken: top-k off, above 64, or with too many of the best demoted by the
    // penalty falls back to the scan.
    expect(settled).toBeGreaterThan(settings.length / 3)
    expect(settled).toBeLessThan(settings.length)
  })

  it('reports the summary’s top alternatives and log-sum-exp', () => {
    const step = Object.assign(Float32Array.from(logits), { summary })
    const fast = sampleToken(step, previous, defaultSamplingParams, createRng(1))
    const slow = sampleToken(logits, previous, defaultSamplingParams, createRng(1))
    expect(fast.tokenId).toBe(slow.tokenId)
    expect(fast.top.map((t) => t.tokenId)).toEqual(slow.top.map((t) => t.tokenId))
    fast.top.forEach((t, i) => expect(t.logprob).toBeCloseTo(slow.top[i].logprob, 10))
  })
})
