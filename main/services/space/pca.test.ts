import { describe, expect, it } from 'vitest'
import { covariance, pca, symmetricEigen, type PcaResult } from './pca'
import { OrtPca } from './pcaOrt'

const ortPca = new OrtPca()
const pcaOnOrt = (v: Float32Array, dims: number, k?: number) => ortPca.run(v, dims, k)

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

/** Uniform values from a fixed LCG, so the test data is the same on every run. */
function seededMatrix(rows: number, dims: number): Float32Array {
  let state = 12345
  const next = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0
    return state / 2 ** 32
  }
  const out = new Float32Array(rows * dims)
  // A mean away from 0 and unequal spreads: centring and the axis order both matter.
  for (let i = 0; i < out.length; i++)
    out[i] = 2 + (i % dims) * 0.3 + (next() - 0.5) * (1 + (i % dims))
  return out
}

const implementations: [
  string,
  (v: Float32Array, dims: number, k: number) => Promise<PcaResult>,
][] = [
  ['JS', (v, dims, k) => Promise.resolve(pca(v, dims, k))],
  ['onnxruntime', pcaOnOrt],
]

describe.each(implementations)('pca (%s)', (_name, run) => {
  it('recovers the exact axes, variances and positions of a rotated cross of points', async () => {
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
    const result = await run(Float32Array.from(data), 3, 3)
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
})

describe('pca', () => {
  it('on onnxruntime matches the JS reference over several chunks of rows', async () => {
    const dims = 8
    const data = seededMatrix(40_000, dims) // more than two of pcaOrt's 16384-row chunks
    const reference = pca(data, dims, 3)
    const result = await pcaOnOrt(data, dims, 3)
    result.variances.forEach((v, i) => expect(v).toBeCloseTo(reference.variances[i], 5))
    Array.from(result.mean).forEach((v, i) => expect(v).toBeCloseTo(reference.mean[i], 5))
    Array.from(result.axes).forEach((v, i) => expect(v).toBeCloseTo(reference.axes[i], 4))
    let worst = 0
    for (let i = 0; i < data.length / dims; i++) {
      worst = Math.max(worst, Math.abs(result.positions[i] - reference.positions[i]))
    }
    expect(worst).toBeLessThan(1e-4)
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
