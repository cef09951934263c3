import { describe, expect, it } from 'vitest'
import { layerContributions } from './contributions'

describe('layerContributions', () => {
  it('measures what each layer added to the residual stream', () => {
    // 2 positions × hidden 2; layer 1 adds (3,4) at position 0 and nothing at position 1.
    const h0 = [1, 0, 0, 1]
    const h1 = [4, 4, 0, 1]
    const [c] = layerContributions([h0, h1], 2, 2)
    expect(c.layer).toBe(1)
    expect(c.perPosition).toEqual([5, 0])
    expect(c.total).toBeCloseTo(2.5)
    expect(c.relative).toBeCloseTo(2.5 / 1)
    expect(c.attention).toBeNull()
  })

  it('splits attention and feed-forward when the mid-layer residual is known', () => {
    const h0 = [0, 0]
    const mid = [3, 0]
    const h1 = [3, 4]
    const [c] = layerContributions([h0, h1], 1, 2, [mid])
    expect(c.attention).toBeCloseTo(3)
    expect(c.feedForward).toBeCloseTo(4)
    expect(c.total).toBeCloseTo(5)
  })
})
