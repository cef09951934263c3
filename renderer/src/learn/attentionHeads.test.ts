import { describe, expect, it } from 'vitest'
import { findHeadPatterns } from './attentionHeads'

/** A layer whose heads each follow one rule: query q puts all its weight on key pick(q). */
function layer(seqLen: number, rules: ((q: number) => number)[]): Float32Array {
  const w = new Float32Array(rules.length * seqLen * seqLen)
  rules.forEach((pick, h) => {
    for (let q = 0; q < seqLen; q++) w[h * seqLen * seqLen + q * seqLen + pick(q)] = 1
  })
  return w
}

describe('findHeadPatterns', () => {
  it('finds the previous-token head and the first-token head in different layers', () => {
    const self = (q: number) => q
    const prev = (q: number) => Math.max(0, q - 1)
    const first = () => 0
    const layers = [layer(6, [self, first]), layer(6, [self, prev])]
    const found = findHeadPatterns(layers, 2, 6)
    expect(found?.previous).toEqual({ layer: 1, head: 1, score: 1 })
    expect(found?.first).toEqual({ layer: 0, head: 1, score: 1 })
  })

  it('gives partial scores as the mean weight', () => {
    const w = new Float32Array(1 * 4 * 4)
    // queries 2 and 3: half on the previous token, half on the first
    w[2 * 4 + 1] = 0.5
    w[2 * 4 + 0] = 0.5
    w[3 * 4 + 2] = 0.5
    w[3 * 4 + 0] = 0.5
    const found = findHeadPatterns([w], 1, 4)
    expect(found?.previous.score).toBeCloseTo(0.5)
    expect(found?.first.score).toBeCloseTo(0.5)
  })

  it('needs three tokens to tell the patterns apart', () => {
    expect(findHeadPatterns([new Float32Array(4)], 1, 2)).toBeNull()
  })
})
