import { describe, expect, it } from 'vitest'
import { covariance, pca, symmetricEigen } from './pca'

/** A rotation of R³ built from two Givens rotations, so its columns are known unit axes. */
function rotation(): number[][] {
  const a = 0.6
  const b = -1.1
  const rz = [
    [Math.cos(a), -Math.sin(a), 0],
    [Math.sin(a), Math.cos(a), 0],
    [0, 0, 1],
  ]
  const rx = [
    [1, 0, 0],
    [0, Math.cos(b), -Math.sin(b)],
    [0, Math.sin(b), Math.cos(b)],
  ]
  return rz.map((r) => [0, 1, 2].map((j) => r.reduce((s, v, k) => s + v * rx[k][j], 0)))
}

describe('pca', () => {
  it('recovers the exact axes, variances and positions of a rotated cross of points', () => {
    // Six points ±3e1, ±2e2, ±1e3 rotated by R and shifted by m: mean m, covariance
    // R diag(9, 4, 1)/3 Rᵀ, principal axes the columns of R.
    const r = rotation()
    const m = [5, -2, 0.5]
    const scales = [3, 2, 1]
    const data: number[] = []
    for (let axis = 0; axis < 3; axis++) {
      for (const sign of [1, -1]) {
        for (let i = 0; i < 3; i++) data.push(m[i] + sign * scales[axis] * r[i][axis])
      }
    }
    const result = pca(Float32Array.from(data), 3, 3)
    expect(result.variances[0]).toBeCloseTo(9 / 3, 5)
    expect(result.variances[1]).toBeCloseTo(4 / 3, 5)
    expect(result.variances[2]).toBeCloseTo(1 / 3, 5)
    expect(result.explainedVariance[0]).toBeCloseTo(9 / 14, 5)
    expect(result.explainedVariance[1]).toBeCloseTo(4 / 14, 5)
    for (let c = 0; c < 3; c++) {
      // Same axis up to sign: |<found, true>| = 1.
      const dot = [0, 1, 2].reduce((s, i) => s + result.axes[c * 3 + i] * r[i][c], 0)
      expect(Math.abs(dot)).toBeCloseTo(1, 5)
    }
    Array.from(result.mean).forEach((v, i) => expect(v).toBeCloseTo(m[i], 5))
    // The first point sits at +3 (or −3) on the first axis and 0 on the others.
    expect(Math.abs(result.positions[0])).toBeCloseTo(3, 4)
    expect(result.positions[1]).toBeCloseTo(0, 4)
    expect(result.positions[2]).toBeCloseTo(0, 4)
  })

  it('diagonalises a symmetric matrix exactly (A v = λ v)', () => {
    const a = Float64Array.from([4, 1, 2, 1, 3, 0.5, 2, 0.5, 5])
    const { values, vectors } = symmetricEigen(a, 3)
    expect(values[0]).toBeGreaterThanOrEqual(values[1])
    expect(values[1]).toBeGreaterThanOrEqual(values[2])
    expect(values.reduce((s, v) => s + v, 0)).toBeCloseTo(12, 10) // trace
    for (let k = 0; k < 3; k++) {
      for (let i = 0; i < 3; i++) {
        const av = [0, 1, 2].reduce((s, j) => s + a[i * 3 + j] * vectors[k * 3 + j], 0)
        expect(av).toBeCloseTo(values[k] * vectors[k * 3 + i], 10)
      }
    }
  })

  it('computes the covariance of rows that do not fill a whole block', () => {
    const data = Float32Array.from([1, 2, 3, 4, 5, 7]) // 3 rows × 2 dims
    const { cov, mean } = covariance(data, 2)
    expect(Array.from(mean)).toEqual([3, 13 / 3])
    expect(cov[0]).toBeCloseTo(8 / 3, 6)
    expect(cov[1]).toBeCloseTo((-2 * (2 - 13 / 3) + 2 * (7 - 13 / 3)) / 3, 6)
    expect(cov[1]).toBe(cov[2])
  })
})
