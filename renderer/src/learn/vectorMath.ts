/** The k words nearest `word` by cosine in a words × dims matrix, best first. */
export function nearestWords(
  words: readonly string[],
  vectors: Float32Array,
  dims: number,
  word: string,
  k: number,
): { word: string; score: number }[] | null {
  const row = words.indexOf(word.trim().toLowerCase())
  if (row < 0) return null
  const norm = (r: number) => {
    let s = 0
    for (let i = 0; i < dims; i++) s += vectors[r * dims + i] ** 2
    return Math.sqrt(s) || 1
  }
  const self = norm(row)
  const scored: { word: string; score: number }[] = []
  for (let r = 0; r < words.length; r++) {
    if (r === row) continue
    let dot = 0
    for (let i = 0; i < dims; i++) dot += vectors[r * dims + i] * vectors[row * dims + i]
    scored.push({ word: words[r], score: dot / (self * norm(r)) })
  }
  return scored.sort((a, b) => b.score - a.score).slice(0, k)
}
