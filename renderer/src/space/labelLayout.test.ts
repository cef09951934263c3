import { describe, expect, it } from 'vitest'
import { layoutLabels, overlaps, type Rect } from './labelLayout'

describe('layoutLabels', () => {
  it('places no two labels over each other in a dense cluster', () => {
    // 60 labels whose points sit within 40 px of each other, as neighbours of a word do.
    let seed = 7
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647
    const requests = Array.from({ length: 60 }, () => ({
      x: 300 + random() * 40,
      y: 200 + random() * 40,
      width: 30 + random() * 50,
      height: 16,
    }))
    const placed = layoutLabels(requests, { width: 800, height: 600 })
    const shown = placed.filter((p): p is Rect => p !== null)
    expect(shown.length).toBeGreaterThan(5)
    for (let i = 0; i < shown.length; i++)
      for (let j = i + 1; j < shown.length; j++) expect(overlaps(shown[i], shown[j], 0)).toBe(false)
  })

  it('keeps the first label (the selection) and puts it right of its point', () => {
    const placed = layoutLabels(
      [
        { x: 100, y: 100, width: 40, height: 16 },
        { x: 101, y: 100, width: 40, height: 16 },
      ],
      { width: 400, height: 400 },
    )
    expect(placed[0]).toEqual({ left: 106, top: 92, width: 40, height: 16 })
    expect(placed[1]).not.toBeNull()
    expect(overlaps(placed[0]!, placed[1]!, 0)).toBe(false)
  })

  it('moves a label at the right edge to the left of its point, and skips points off screen', () => {
    const placed = layoutLabels([{ x: 390, y: 100, width: 40, height: 16 }, null], {
      width: 400,
      height: 400,
    })
    expect(placed[0]!.left + placed[0]!.width).toBeLessThanOrEqual(390)
    expect(placed[1]).toBeNull()
  })
})
