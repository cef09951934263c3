/**
 * Custom projection as in the TensorFlow Embedding Projector: an axis is the direction from
 * the centroid of the "from" words to the centroid of the "to" words (x = man → woman); each
 * point's coordinate is its cosine-scaled dot product with that direction.
 */
import { ApiError } from '../../contract/define'
import { normalize, row } from './vectorMath'

export interface AxisSpec {
  from: number[]
  to: number[]
}

export function axisDirection(unit: Float32Array, dims: number, axis: AxisSpec): Float32Array {
  if (axis.from.length === 0 || axis.to.length === 0) {
    throw new ApiError('bad_request', 'An axis needs at least one word at each end.')
  }
  const dir = new Float32Array(dims)
  for (const i of axis.to) {
    const v = row(unit, dims, i)
    for (let d = 0; d < dims; d++) dir[d] += v[d] / axis.to.length
  }
  for (const i of axis.from) {
    const v = row(unit, dims, i)
    for (let d = 0; d < dims; d++) dir[d] -= v[d] / axis.from.length
  }
  return normalize(dir)
}

/**
 * n × 3 positions: one coordinate per given axis (on unit vectors, so long vectors of frequent
 * words do not dominate), 0 for an axis not given (a 2D projection).
 */
export function projectCustom(
  unit: Float32Array,
  dims: number,
  axes: (AxisSpec | null)[],
): Float32Array {
  const n = unit.length / dims
  const out = new Float32Array(n * 3)
  axes.slice(0, 3).forEach((axis, c) => {
    if (!axis) return
    const dir = axisDirection(unit, dims, axis)
    for (let r = 0; r < n; r++) {
      const base = r * dims
      let dot = 0
      for (let d = 0; d < dims; d++) dot += unit[base + d] * dir[d]
      out[r * 3 + c] = dot
    }
  })
  return out
}
