import { describe, expect, it } from 'vitest'
import { projectCustom } from './customAxes'
import { normalizeRows } from './vectorMath'

describe('custom axes', () => {
  it('places points along the from → to direction and leaves a missing axis at 0', () => {
    const unit = normalizeRows(Float32Array.from([1, 0, 0, 1, 1, 1, -1, 0]), 2)
    const pos = projectCustom(unit, 2, [{ from: [0], to: [1] }, null])
    // Direction (−1, 1)/√2: point 0 at −1/√2, point 1 at +1/√2, the diagonal at 0.
    expect(pos[0]).toBeCloseTo(-Math.SQRT1_2, 5)
    expect(pos[3]).toBeCloseTo(Math.SQRT1_2, 5)
    expect(pos[6]).toBeCloseTo(0, 5)
    expect(pos[1]).toBe(0)
    expect(pos[2]).toBe(0)
  })

  it('refuses an axis with an empty end', () => {
    const unit = normalizeRows(Float32Array.from([1, 0]), 2)
    expect(() => projectCustom(unit, 2, [{ from: [], to: [0] }])).toThrow(/at least one word/)
  })
})
