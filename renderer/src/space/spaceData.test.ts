import { describe, expect, it } from 'vitest'
import { categoryColor, decodeFloats, rankColor, suggest } from './spaceData'

describe('space view helpers', () => {
  it('decodes the base64 float32 wire format', () => {
    const values = Float32Array.from([1.5, -2, 0.25])
    const base64 = btoa(String.fromCharCode(...new Uint8Array(values.buffer)))
    expect(Array.from(decodeFloats(base64))).toEqual([1.5, -2, 0.25])
  })

  it('suggests prefix matches first, then words containing the text', () => {
    const words = ['the', 'king', 'kingdom', 'viking', 'kin', 'seeking']
    expect(suggest(words, 'kin', 3)).toEqual(['king', 'kingdom', 'kin'])
    expect(suggest(words, 'KING', 5)).toEqual(['king', 'kingdom', 'viking', 'seeking'])
    expect(suggest(words, '  ')).toEqual([])
  })

  it('gives colours in range and different ones to neighbouring categories', () => {
    for (const c of [rankColor(0, 100), rankColor(99, 100), categoryColor(7)]) {
      c.forEach((v) => expect(v).toBeGreaterThanOrEqual(0))
      c.forEach((v) => expect(v).toBeLessThanOrEqual(1))
    }
    expect(categoryColor(0)).not.toEqual(categoryColor(1))
    expect(rankColor(0, 100)).not.toEqual(rankColor(99, 100))
  })
})
