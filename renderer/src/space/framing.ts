/**
 * Framing the camera on a point cloud. The bounding sphere of every point is a poor frame:
 * one far point (UMAP's stray islands, a rare token) shrinks everything else to a dot. We
 * frame the bulk instead, the middle of the central 98 % per axis and the radius holding 98 %
 * of the points, and fit
 * that sphere in the narrower of the two fields of view, so a narrow window clips nothing.
 */

export interface Frame {
  center: [number, number, number]
  radius: number
}

const SAMPLE = 20_000

/** The middle of the range holding all but the outer 1 % on either side. */
function middle(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]
  return (at(0.01) + at(0.99)) / 2
}

/** The frame of `count` points (x, y, z per point), from an even sample of at most 20k. */
export function frameOfPoints(positions: Float32Array, count: number, share = 0.98): Frame {
  if (count === 0) return { center: [0, 0, 0], radius: 1 }
  const stride = Math.max(1, Math.floor(count / SAMPLE))
  const picked: number[] = []
  for (let i = 0; i < count; i += stride) picked.push(i)
  const axis = (k: number) => middle(picked.map((i) => positions[i * 3 + k]))
  const center: [number, number, number] = [axis(0), axis(1), axis(2)]
  const distances = picked
    .map((i) =>
      Math.hypot(
        positions[i * 3] - center[0],
        positions[i * 3 + 1] - center[1],
        positions[i * 3 + 2] - center[2],
      ),
    )
    .sort((a, b) => a - b)
  const radius = distances[Math.min(distances.length - 1, Math.floor(share * distances.length))]
  return { center, radius: radius > 0 && Number.isFinite(radius) ? radius : 1 }
}

/**
 * How far from a sphere's centre a perspective camera must stand for the sphere to fit, with
 * `margin` to spare, in both directions: `fovDegrees` is the vertical field of view (as in
 * three.js), the horizontal one follows from the aspect ratio (width / height).
 */
export function fitDistance(radius: number, fovDegrees: number, aspect: number, margin = 1.1) {
  const vertical = (fovDegrees * Math.PI) / 360
  const horizontal = Math.atan(Math.tan(vertical) * aspect)
  return (radius * margin) / Math.sin(Math.min(vertical, horizontal))
}
