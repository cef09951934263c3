import { describe, expect, it } from 'vitest'
import { logSumExp, probabilityOf, softmax, topK } from './probabilities'

function randomLogits(n: number, seed: number): Float32Array {
  // Small LCG so the test is deterministic without a dependency.
  let s = seed
  const out = new Float32Array(n)
  for (let i = 0; i < n; i++) {
    s = (s * 1664525 + 1013904223) >>> 0
    out[i] = (s / 2 ** 32) * 20 - 10
  }
  return out
}

describe('softmax and top-k', () => {
  it('softmax sums to one and survives huge logits', () => {
    const p = softmax([1000, 1001, 999])
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12)
    expect(p[1]).toBeCloseTo(Math.exp(1) / (1 + Math.exp(1) + Math.exp(-1)), 12)
  })

  it('top-k equals sorting the softmax of the whole row', () => {
    const logits = randomLogits(5000, 7)
    const probs = softmax(logits)
    const sorted = Array.from(probs.keys()).sort((a, b) => probs[b] - probs[a] || a - b)
    const got = topK(logits, 8)
    expect(got.map((c) => c.id)).toEqual(sorted.slice(0, 8))
    got.forEach((c) => expect(c.prob).toBeCloseTo(probs[c.id], 10))
  })

  it('top-k with k above the vocabulary returns every token once', () => {
    const got = topK([0.5, 2, -1], 10)
    expect(got.map((c) => c.id)).toEqual([1, 0, 2])
    expect(got.reduce((s, c) => s + c.prob, 0)).toBeCloseTo(1, 10)
  })

  it('ties keep the lower id first', () => {
    expect(topK([3, 5, 5, 1], 2).map((c) => c.id)).toEqual([1, 2])
  })

  it('probabilityOf gives the rank and probability of any token', () => {
    const logits = [0, 3, 1, 2]
    const { prob, rank } = probabilityOf(logits, 2)
    expect(rank).toBe(2)
    expect(prob).toBeCloseTo(Math.exp(1 - logSumExp(logits)), 12)
  })
})
