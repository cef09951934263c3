import { describe, expect, it } from 'vitest'
import { fitDistance, frameOfPoints } from './framing'

describe('frameOfPoints', () => {
  it('frames the bulk of the points, not one far outlier', () => {
    const count = 1001
    const positions = new Float32Array(count * 3)
    for (let i = 0; i < 1000; i++) {
      const a = i * 2.399 // points on a unit-ish circle around (5, 5, 0)
      positions.set([5 + Math.cos(a) * (i / 1000), 5 + Math.sin(a) * (i / 1000), 0], i * 3)
    }
    positions.set([500, 500, 500], 1000 * 3)
    const frame = frameOfPoints(positions, count)
    expect(frame.center[0]).toBeCloseTo(5, 0)
    expect(frame.center[1]).toBeCloseTo(5, 0)
    expect(frame.radius).toBeGreaterThan(0.9)
    expect(frame.radius).toBeLessThan(1.1)
  })

  it('gives a unit frame for no points or all points in one place', () => {
    expect(frameOfPoints(new Float32Array(0), 0)).toEqual({ center: [0, 0, 0], radius: 1 })
    expect(frameOfPoints(new Float32Array(6).fill(2), 2).radius).toBe(1)
  })
})

describe('fitDistance', () => {
  // The sphere's edge as seen from the camera, in normalized device units (1 = screen edge).
  const edge = (radius: number, distance: number, fovDegrees: number, aspect: number) => {
    const angle = Math.asin(radius / distance)
    const tanV = Math.tan((fovDegrees * Math.PI) / 360)
    return { x: Math.tan(angle) / (tanV * aspect), y: Math.tan(angle) / tanV }
  }

  it('fits the sphere in a wide and in a narrow window', () => {
    for (const aspect of [2, 1, 0.4, 0.2]) {
      const d = fitDistance(3, 50, aspect)
      const { x, y } = edge(3, d, 50, aspect)
      expect(x).toBeLessThanOrEqual(1)
      expect(y).toBeLessThanOrEqual(1)
      // ... and fills the narrower direction (with the 10 % margin), not a tiny dot.
      expect(Math.max(x, y)).toBeGreaterThan(0.8)
    }
  })

  it('stands further back for a narrow window', () => {
    expect(fitDistance(1, 50, 0.3)).toBeGreaterThan(2 * fitDistance(1, 50, 1.5))
  })
})
