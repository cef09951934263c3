/**
 * Where the space's word labels go on screen: each label tries a few spots around its point
 * and takes the first that overlaps no label placed before it and stays inside the view; a
 * label with no free spot is left out. Greedy in priority order (the selection first, then
 * the analogy, then neighbours by rank), as map labelling does it for a few dozen labels.
 */

export interface LabelRequest {
  /** The point's screen position, CSS pixels. */
  x: number
  y: number
  width: number
  height: number
}

export interface Rect {
  left: number
  top: number
  width: number
  height: number
}

const GAP = 6

/** Spots around the point, most readable first: right, above right, below right, left... */
function candidates(r: LabelRequest): Rect[] {
  const { x, y, width: w, height: h } = r
  const at = (left: number, top: number) => ({ left, top, width: w, height: h })
  return [
    at(x + GAP, y - h / 2),
    at(x + GAP / 2, y - h - GAP / 2),
    at(x + GAP / 2, y + GAP / 2),
    at(x - w - GAP, y - h / 2),
    at(x - w - GAP / 2, y - h - GAP / 2),
    at(x - w - GAP / 2, y + GAP / 2),
    at(x - w / 2, y - h - GAP),
    at(x - w / 2, y + GAP),
  ]
}

export function overlaps(a: Rect, b: Rect, margin = 1): boolean {
  return (
    a.left < b.left + b.width + margin &&
    b.left < a.left + a.width + margin &&
    a.top < b.top + b.height + margin &&
    b.top < a.top + a.height + margin
  )
}

function inside(r: Rect, view: { width: number; height: number }): boolean {
  return (
    r.left >= 0 && r.top >= 0 && r.left + r.width <= view.width && r.top + r.height <= view.height
  )
}

/** One placement per request, in order: a rectangle, or null when it would overlap. */
export function layoutLabels(
  requests: readonly (LabelRequest | null)[],
  view: { width: number; height: number },
): (Rect | null)[] {
  const placed: Rect[] = []
  return requests.map((r) => {
    if (!r) return null
    const spot = candidates(r).find((c) => inside(c, view) && !placed.some((p) => overlaps(c, p)))
    if (!spot) return null
    placed.push(spot)
    return spot
  })
}
