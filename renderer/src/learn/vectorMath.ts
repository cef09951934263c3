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

/** b − a + c on unit vectors (Mikolov et al. 2013's 3CosAdd), the three words left out. */
export function analogyWords(
  words: readonly string[],
  vectors: Float32Array,
  dims: number,
  [a, b, c]: [string, string, string],
  k: number,
): { word: string; score: number }[] | null {
  const rows = [a, b, c].map((w) => words.indexOf(w.trim().toLowerCase()))
  if (rows.some((r) => r < 0)) return null
  const unit = (r: number) => {
    const v = vectors.subarray(r * dims, (r + 1) * dims)
    const n = Math.hypot(...v) || 1
    return Array.from(v, (x) => x / n)
  }
  const [va, vb, vc] = rows.map(unit)
  const target = vb.map((x, i) => x - va[i] + vc[i])
  const scored: { word: string; score: number }[] = []
  for (let r = 0; r < words.length; r++) {
    if (rows.includes(r)) continue
    const v = unit(r)
    scored.push({ word: words[r], score: v.reduce((s, x, i) => s + x * target[i], 0) })
  }
  return scored.sort((x, y) => y.score - x.score).slice(0, k)
}
