import { describe, expect, it } from 'vitest'
import { circleDims, circlePoints } from './circlePoints'
import { NearestIndex } from './nearestIndex'
import { analogyQuery, row, topKByDot } from './vectorMath'

describe('NearestIndex (onnxruntime)', () => {
  const dims = circleDims
  const unit = circlePoints()

  it('ranks by cosine, best first, without the excluded rows', async () => {
    const index = await NearestIndex.create(unit, dims)
    const result = await index.topK(row(unit, dims, 0), 3, new Set([0]))
    expect(result.map((r) => r.index)).toEqual([1, 2, 5])
    expect(result[0].score).toBeCloseTo(Math.cos((10 * Math.PI) / 180), 6)
  })

  it('returns every row when k exceeds the count, as the JS reference does', async () => {
    const index = await NearestIndex.create(unit, dims)
    const found = await index.topK(row(unit, dims, 0), 50)
    const reference = topKByDot(unit, dims, row(unit, dims, 0), 50)
    expect(found.map((r) => r.index)).toEqual(reference.map((r) => r.index))
  })

  it('breaks ties by the lower index, as the JS reference does', async () => {
    const same = Float32Array.from([1, 0, 0, 1, 0, 1, 0, 1, 1, 0])
    const index = await NearestIndex.create(same, dims)
    const found = await index.topK(Float32Array.from([0, 1]), 3)
    expect(found.map((r) => r.index)).toEqual([1, 2, 3])
  })

  it('answers a − b + c without a, b or c', async () => {
    const index = await NearestIndex.create(unit, dims)
    const found = await index.topK(analogyQuery(unit, dims, 2, 1, 3), 2, new Set([2, 1, 3]))
    expect(found.map((r) => r.index)).toEqual([5, 4])
  })
})
