import { useEffect, useMemo } from 'react'
import type { ScoredWord } from '../../../main/contract/space'
import type { PointCloud } from './pointCloud'

/**
 * The marks drawn over the points: the selection and analogy words large in red, their
 * neighbours in orange, the analogy's two offsets as arrows. Returns the points that carry a
 * label, most important first (the label layout keeps those when room runs out).
 */
export function useSpaceMarks(
  cloud: PointCloud | null,
  selectedIndices: number[],
  neighbours: ScoredWord[],
  analogy: { indices: number[]; results: ScoredWord[] } | null,
  pointsVersion: number,
): number[] {
  const labels = useMemo(() => {
    const a = analogy
      ? [...analogy.indices, ...analogy.results.slice(0, 1).map((r) => r.index)]
      : []
    return [...new Set([...selectedIndices, ...a, ...neighbours.map((n) => n.index)])]
  }, [selectedIndices, neighbours, analogy])

  useEffect(() => {
    if (!cloud) return
    const analogyIds = analogy
      ? [...analogy.indices, ...analogy.results.slice(0, 3).map((r) => r.index)]
      : []
    cloud.setHighlights(
      [...selectedIndices, ...analogyIds],
      neighbours.map((n) => n.index),
    )
    // a − b + c = d drawn as two parallel offsets: b → a and c → d.
    const [a, b, c] = analogy?.indices ?? []
    const d = analogy?.results[0]?.index
    cloud.setArrows(
      analogy && d !== undefined
        ? [
            { from: b, to: a, color: 0x64d2ff },
            { from: c, to: d, color: 0x30d158 },
          ]
        : [],
    )
  }, [cloud, selectedIndices, neighbours, analogy, pointsVersion])

  return labels
}
