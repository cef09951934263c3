// Test points shared by the vector-maths tests: six 2-d vectors at known angles, with
// different lengths, so cosine rankings are known by eye and ignore length.
import { normalizeRows } from './vectorMath'

export const circleDims = 2
export const circleAngles = [0, 10, 20, 90, 180, 45]

export function circlePoints(): Float32Array {
  const raw = Float32Array.from(
    circleAngles.flatMap((deg, i) => {
      const rad = (deg * Math.PI) / 180
      return [(i + 1) * Math.cos(rad), (i + 1) * Math.sin(rad)]
    }),
  )
  return normalizeRows(raw, circleDims)
}
