import { describe, expect, it } from 'vitest'
import { attentionAsNested, attentionThumbnails } from './analyze'

describe('attention layouts', () => {
  it('thumbnails keep the largest weight of each block', () => {
    // One head, 4 tokens, shrunk to 2 × 2.
    const a = Float32Array.from([1, 0, 0, 0, 0.5, 0.5, 0, 0, 0.2, 0.3, 0.5, 0, 0.1, 0.1, 0.1, 0.7])
    const byte = (w: number) => Math.round(255 * Math.fround(w))
    expect(Array.from(attentionThumbnails(a, 1, 4, 2))).toEqual([255, 0, byte(0.3), byte(0.7)])
  })

  it('nests heads × query × key for JSON', () => {
    const a = Float32Array.from([1, 0, 0.25, 0.75, 1, 0, 0.5, 0.5])
    expect(attentionAsNested(a, 2, 2)).toEqual([
      [
        [1, 0],
        [0.25, 0.75],
      ],
      [
        [1, 0],
        [0.5, 0.5],
      ],
    ])
  })
})
