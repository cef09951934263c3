import { describe, expect, it } from 'vitest'
import {
  candidatesAbove,
  kthLargest,
  logSumExpFrom,
  maxOf,
  sortByLogit,
  topEntries,
} from './logitScan'
import { createRng } from './sampling'

/** Vocab-sized logits: flat (random weights), heavy-tailed, and with many exact ties. */
function shapes(n: number, seed: number): Record<string, Float32Array> {
  const rng = createRng(seed)
  return {
    flat: Float32Array.from({ length: n }, () => (rng() - 0.5) * 4),
    peaked: Float32Array.from({ length: n }, () => (rng() - 0.5) ** 3 * 80),
    ties: Float32Array.from({ length: n }, () => Math.round((rng() - 0.5) * 6)),
    ascending: Float32Array.from({ length: n }, (_, i) => i / n),
  }
}

/** Every id, best first, equal values by id: what a full stable sort gives. */
const sortedIds = (v: Float32Array) => Array.from(v.keys()).sort((a, b) => v[b] - v[a] || a - b)

describe('single-pass scans over logits', () => {
  for (const [name, v] of Object.entries(shapes(4000, 11))) {
    it(`the k-th largest, top entries and order equal a full sort (${name})`, () => {
      const order = sortedIds(v)
      for (const k of [1, 2, 5, 40, 999, 4000]) {
        expect(kthLargest(v, k)).toBe(v[order[k - 1]])
        expect(topEntries(v, Math.min(k, 50))).toEqual(order.slice(0, Math.min(k, 50)))
      }
      const some = candidatesAbove(v, v[order[300]])
      expect(sortByLogit(v, some)).toEqual(order.filter((id) => v[id] >= v[order[300]]))
      expect(maxOf(v)).toBe(v[order[0]])
    })
  }

  it('log-sum-exp without Math.exp agrees with it to 1e-13 over many ranges', () => {
    const rng = createRng(5)
    for (const scale of [0.01, 4, 40, 400, 4000]) {
      const v = Float32Array.from({ length: 5000 }, () => (rng() - 0.5) * scale)
      const max = maxOf(v)
      let sum = 0
      for (const x of v) sum += Math.exp(x - max)
      expect(Math.abs(logSumExpFrom(v, max) - (max + Math.log(sum)))).toBeLessThan(1e-13)
    }
    for (let i = 0; i < 2000; i++) {
      const d = -rng() * 700
      const got = Math.exp(logSumExpFrom([d], 0))
      expect(Math.abs(got - Math.exp(d)) / Math.exp(d)).toBeLessThan(1e-13)
    }
  })

  it('log-sum-exp from the maximum is stable for large logits', () => {
    expect(logSumExpFrom([1000, 1000], 1000)).toBeCloseTo(1000 + Math.log(2), 10)
    expect(logSumExpFrom([-Infinity, 0], 0)).toBe(0)
  })
})
