import { describe, expect, it } from 'vitest'
import { cellAt, decodeWeights, headMatrix, heatColor, MASKED, paintHeatmap } from './attentionMath'

describe('attention pictures', () => {
  it('decodes the base64 float32 wire format', () => {
    const values = new Float32Array([0.25, 0.75, 1, 0])
    const bytes = new Uint8Array(values.buffer)
    const b64 = btoa(String.fromCharCode(...bytes))
    expect(Array.from(decodeWeights(b64))).toEqual([0.25, 0.75, 1, 0])
  })

  it('slices one head out of heads × query × key', () => {
    const layer = Float32Array.from({ length: 2 * 4 }, (_, i) => i)
    expect(Array.from(headMatrix(layer, 1, 2))).toEqual([4, 5, 6, 7])
  })

  it('paints weights brighter as they grow and masks future keys', () => {
    const m = [1, 0, 0.5, 0.5]
    const px = new Uint8ClampedArray(16)
    paintHeatmap(m, 2, px)
    expect(Array.from(px.subarray(0, 4))).toEqual([...heatColor(1), 255])
    expect(Array.from(px.subarray(4, 8))).toEqual([...MASKED, 255])
    const brightness = (c: number[]) => c[0] + c[1] + c[2]
    expect(brightness(heatColor(0.5))).toBeGreaterThan(brightness(heatColor(0.05)))
    expect(brightness(heatColor(1))).toBeGreaterThan(brightness(heatColor(0.5)))
    expect(brightness(heatColor(0))).toBeGreaterThan(brightness(MASKED))
  })

  it('maps pointer positions to cells', () => {
    expect(cellAt(10, 90, 100, 4)).toEqual({ query: 3, key: 0 })
    expect(cellAt(-1, 5, 100, 4)).toBeNull()
  })
})
