import { describe, expect, it } from 'vitest'
import { circleAngles, circleDims, circlePoints } from './circlePoints'
import { analogy, neighboursOf, topKByDot } from './vectorMath'

describe('vectorMath', () => {
  const dims = circleDims
  const angles = circleAngles
  const unit = circlePoints()

  it('ranks neighbours by cosine, best first, excluding the word itself', () => {
    const result = neighboursOf(unit, dims, 0, 3)
    expect(result.map((r) => r.index)).toEqual([1, 2, 5])
    expect(result[0].score).toBeCloseTo(Math.cos((10 * Math.PI) / 180), 5)
  })

  it('returns fewer than k when there are fewer points', () => {
    expect(topKByDot(unit, dims, unit.subarray(0, 2), 50)).toHaveLength(angles.length)
  })

  it('answers a − b + c without returning a, b or c', () => {
    // 20° − 10° + 90° = 100°: the closest remaining point is 90°... excluded, so 180° or 45°.
    const result = analogy(unit, dims, 2, 1, 3, 2)
    expect(result.map((r) => r.index)).not.toContain(3)
    expect(result.map((r) => r.index)).toEqual([5, 4])
  })
})
