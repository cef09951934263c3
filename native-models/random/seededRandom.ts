/**
 * mulberry32 (Tommy Ettinger's 32-bit generator): small, fast and seedable, so the same seed
 * gives the same text, the same split and batch order, the same test weights. One copy for
 * the sampler, training, fixtures, UMAP and the gradient checks.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
