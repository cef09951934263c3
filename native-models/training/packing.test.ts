import { describe, expect, it } from 'vitest'
import { learningRate } from './schedule'
import { batchAt, packDocuments, splitHeldOut } from './packing'

describe('packing', () => {
  it('joins documents with EOS and makes every token a target once', () => {
    const packed = packDocuments(
      [
        [1, 2, 3],
        [4, 5],
      ],
      3,
      0,
    )
    // stream 1 2 3 0 4 5 0 → windows [1 2 3 0] [0 4 5 0]
    expect(packed.count).toBe(2)
    expect(Array.from(packed.windows)).toEqual([1, 2, 3, 0, 0, 4, 5, 0])
    const b = batchAt(packed, 2, 7, 0)
    const targets = Array.from(b.targets, Number).sort()
    expect(targets).toEqual([0, 0, 2, 3, 4, 5])
  })

  it('splits held-out windows deterministically and disjointly', () => {
    const docs = Array.from({ length: 50 }, (_, i) => [i + 1, i + 2, i + 3])
    const packed = packDocuments(docs, 4, 0)
    const a = splitHeldOut(packed, 0.1, 42)
    const b = splitHeldOut(packed, 0.1, 42)
    expect(Array.from(a.heldOut.windows)).toEqual(Array.from(b.heldOut.windows))
    expect(a.heldOut.count + a.train.count).toBe(packed.count)
    expect(a.heldOut.count).toBeGreaterThan(0)
  })

  it('gives a pure batch order: same (seed, index) → same batch; padding rows masked out', () => {
    const packed = packDocuments([[1, 2, 3, 4, 5, 6, 7, 8, 9]], 4, 0)
    expect(batchAt(packed, 2, 3, 5)).toEqual(batchAt(packed, 2, 3, 5))
    const padded = batchAt(packed, 4, 1, 0)
    expect(Array.from(padded.lossMask).filter((m) => m === 0).length).toBe(8)
  })
})

describe('learning-rate schedule', () => {
  it('warms up linearly, then decays by a cosine to the floor', () => {
    const s = { peak: 1e-3, warmupSteps: 10, totalSteps: 110, minRatio: 0.1 }
    expect(learningRate(s, 5)).toBeCloseTo(5e-4)
    expect(learningRate(s, 10)).toBeCloseTo(1e-3)
    expect(learningRate(s, 60)).toBeCloseTo(1e-4 + 0.5 * 9e-4)
    expect(learningRate(s, 110)).toBeCloseTo(1e-4)
    expect(learningRate(s, 500)).toBeCloseTo(1e-4)
  })
})
