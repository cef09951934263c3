/** Small pure helpers of the space view (decoding, autocomplete, colours); testable alone. */

/** base64 of little-endian float32s (see main/contract/space.ts) → Float32Array. */
export function decodeFloats(base64: string): Float32Array {
  const binary = atob(base64)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return new Float32Array(bytes.buffer)
}

/**
 * Autocomplete: words starting with the prefix, in list order (most frequent first for
 * GloVe), then words containing it. One linear pass over 341k strings takes a few ms.
 */
export function suggest(words: readonly string[], prefix: string, limit = 8): string[] {
  const p = prefix.trim().toLowerCase()
  if (!p) return []
  const starts: string[] = []
  const contains: string[] = []
  for (const w of words) {
    const lw = w.toLowerCase()
    if (lw.startsWith(p)) {
      starts.push(w)
      if (starts.length >= limit) break
    } else if (contains.length < limit && lw.includes(p)) contains.push(w)
  }
  return [...starts, ...contains].slice(0, limit)
}

/** RGB in 0..1. Frequency rank on a log scale: frequent words warm, rare words cool. */
export function rankColor(index: number, count: number): [number, number, number] {
  const t = Math.log1p(index) / Math.log1p(Math.max(1, count - 1))
  return hsl(0.08 + 0.55 * t, 0.75, 0.6 - 0.15 * t)
}

/** A distinct colour per category (golden-ratio hue steps). */
export function categoryColor(code: number): [number, number, number] {
  return hsl((code * 0.618033988749895) % 1, 0.7, 0.58)
}

function hsl(h: number, s: number, l: number): [number, number, number] {
  const f = (n: number) => {
    const k = (n + h * 12) % 12
    const a = s * Math.min(l, 1 - l)
    return l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))
  }
  return [f(0), f(8), f(4)]
}
