import { seededRandom } from '../random/seededRandom'

// The data side of word2vec (Mikolov et al. 2013, "Distributed Representations of Words and
// Phrases and their Compositionality"): words from text, a vocabulary of the frequent ones,
// and batches of (centre, context) pairs with negatives drawn from the unigram
// distribution raised to 3/4 (§2.2 of the paper). Plain TypeScript, seeded, so a seed gives
// the same batches everywhere.

/** A text or setting word2vec cannot train on; `code` crosses the compute boundary as is. */
export class Word2VecInputError extends Error {
  readonly code = 'bad_request'
  constructor(message: string) {
    super(message)
    this.name = 'Word2VecInputError'
  }
}

export interface Word2VecVocab {
  words: string[]
  counts: number[]
  /** The text as vocabulary indices, words outside the vocabulary dropped. */
  ids: Int32Array
  /** Words in the text, before the vocabulary cut. */
  textWords: number
}

// A word: a run of letters and digits (with inner apostrophes: "abraham's"), or one Chinese
// character, since Chinese writes no spaces. A regular expression, not Intl.Segmenter: that
// took seconds on a 200 KB text, a regex milliseconds.
const WORD =
  /\p{Script=Han}|(?:(?!\p{Script=Han})[\p{L}\p{N}])+(?:['’](?:(?!\p{Script=Han})[\p{L}\p{N}])+)*/gu

/** The text's words, lower-cased. */
export function textWords(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? []
}

export function buildVocab(words: string[], maxVocab: number, minCount: number): Word2VecVocab {
  const counts = new Map<string, number>()
  for (const w of words) counts.set(w, (counts.get(w) ?? 0) + 1)
  // Ties broken by the word, so the order never depends on the text's order of first use.
  const kept = [...counts.entries()]
    .filter(([, c]) => c >= minCount)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, maxVocab)
  const index = new Map(kept.map(([w], i) => [w, i]))
  const ids: number[] = []
  for (const w of words) {
    const i = index.get(w)
    if (i !== undefined) ids.push(i)
  }
  return {
    words: kept.map(([w]) => w),
    counts: kept.map(([, c]) => c),
    ids: Int32Array.from(ids),
    textWords: words.length,
  }
}

export interface PairBatch {
  centres: BigInt64Array
  contexts: BigInt64Array
  /** batch × negatives */
  negatives: BigInt64Array
}

/**
 * Draws batches of skip-gram pairs: a random position, a random offset within a window of
 * 1..window (word2vec's dynamic window, which weights near words more), and `negatives`
 * noise words per pair from the unigram^0.75 table. Frequent words are subsampled as in
 * word2vec.c (a word of frequency f is kept with probability (√(f/t) + 1)·t/f), the text
 * drawn anew for each pass over it, so "and" and "the" stop crowding every window.
 */
export function pairSampler(
  vocab: Word2VecVocab,
  opts: { window: number; negatives: number; batch: number; seed: number; sample?: number },
): () => PairBatch {
  const rand = seededRandom(opts.seed)
  if (vocab.ids.length < 2)
    throw new Word2VecInputError('word2vec: the text has fewer than two words in the vocabulary')
  const t = opts.sample ?? 1e-3
  const kept = vocab.ids.length
  const keep = vocab.counts.map((c) => {
    const f = c / kept
    return t > 0 ? Math.min(1, (Math.sqrt(f / t) + 1) * (t / f)) : 1
  })
  let text = vocab.ids
  let drawn = 0
  const resample = () => {
    const out = vocab.ids.filter((id) => rand() < keep[id])
    text = out.length >= 2 ? out : vocab.ids
    drawn = 0
  }
  resample()
  // Cumulative unigram^0.75, searched by bisection.
  const cum = new Float64Array(vocab.counts.length)
  let total = 0
  vocab.counts.forEach((c, i) => (cum[i] = total += c ** 0.75))
  const noise = (): number => {
    const r = rand() * total
    let lo = 0
    let hi = cum.length - 1
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (cum[mid] < r) lo = mid + 1
      else hi = mid
    }
    return lo
  }
  const { batch, negatives, window } = opts
  return () => {
    const centres = new BigInt64Array(batch)
    const contexts = new BigInt64Array(batch)
    const negs = new BigInt64Array(batch * negatives)
    for (let b = 0; b < batch; b++) {
      if (drawn++ >= text.length) resample()
      const n = text.length
      const pos = Math.floor(rand() * n)
      const reach = 1 + Math.floor(rand() * window)
      let offset = 1 + Math.floor(rand() * reach)
      if (rand() < 0.5) offset = -offset
      // Past either end of the text, the pair looks the other way.
      let other = pos + offset
      if (other < 0 || other >= n) other = pos - offset
      other = Math.min(n - 1, Math.max(0, other))
      if (other === pos) other = pos === 0 ? 1 : pos - 1
      centres[b] = BigInt(text[pos])
      contexts[b] = BigInt(text[other])
      for (let k = 0; k < negatives; k++) negs[b * negatives + k] = BigInt(noise())
    }
    return { centres, contexts, negatives: negs }
  }
}

/** Cosine similarity of rows a and b of a rows × dims matrix. */
export function rowCosine(m: Float32Array, dims: number, a: number, b: number): number {
  let dot = 0
  let na = 0
  let nb = 0
  for (let i = 0; i < dims; i++) {
    const x = m[a * dims + i]
    const y = m[b * dims + i]
    dot += x * y
    na += x * x
    nb += y * y
  }
  return dot / (Math.sqrt(na * nb) || 1)
}

/** The k rows nearest `row` by cosine, best first (the row itself left out). */
export function nearestRows(
  m: Float32Array,
  dims: number,
  row: number,
  k: number,
): { index: number; score: number }[] {
  const rows = m.length / dims
  const scored: { index: number; score: number }[] = []
  for (let r = 0; r < rows; r++)
    if (r !== row) scored.push({ index: r, score: rowCosine(m, dims, row, r) })
  return scored.sort((x, y) => y.score - x.score).slice(0, k)
}

/**
 * The rows' first `components` principal axes by power iteration with deflation, sign fixed
 * so that the axis agrees with `previous` (the last snapshot's axes): a view re-projected
 * every few steps then moves smoothly instead of flipping.
 */
export function principalAxes(
  m: Float32Array,
  dims: number,
  components: number,
  previous?: Float64Array[],
): Float64Array[] {
  const rows = m.length / dims
  const mean = new Float64Array(dims)
  for (let r = 0; r < rows; r++) for (let i = 0; i < dims; i++) mean[i] += m[r * dims + i] / rows
  const cov = new Float64Array(dims * dims)
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < dims; i++) {
      const xi = m[r * dims + i] - mean[i]
      for (let j = 0; j < dims; j++) cov[i * dims + j] += xi * (m[r * dims + j] - mean[j])
    }
  }
  const axes: Float64Array[] = []
  for (let c = 0; c < components; c++) {
    let v = new Float64Array(dims).map((_, i) => previous?.[c]?.[i] ?? Math.cos(i * 1.7 + c))
    for (let it = 0; it < 100; it++) {
      const next = new Float64Array(dims)
      for (let i = 0; i < dims; i++)
        for (let j = 0; j < dims; j++) next[i] += cov[i * dims + j] * v[j]
      for (const a of axes) {
        const d = a.reduce((s, x, i) => s + x * next[i], 0)
        for (let i = 0; i < dims; i++) next[i] -= d * a[i]
      }
      const norm = Math.hypot(...next) || 1
      v = next.map((x) => x / norm)
    }
    const prev = previous?.[c]
    if (prev && prev.reduce((s, x, i) => s + x * v[i], 0) < 0) v = v.map((x) => -x)
    axes.push(v)
  }
  return axes
}

/** Rows (centred) projected on `axes`: rows × axes.length, row-major. */
export function projectRows(m: Float32Array, dims: number, axes: Float64Array[]): Float32Array {
  const rows = m.length / dims
  const mean = new Float64Array(dims)
  for (let r = 0; r < rows; r++) for (let i = 0; i < dims; i++) mean[i] += m[r * dims + i] / rows
  const out = new Float32Array(rows * axes.length)
  for (let r = 0; r < rows; r++) {
    axes.forEach((a, c) => {
      let s = 0
      for (let i = 0; i < dims; i++) s += (m[r * dims + i] - mean[i]) * a[i]
      out[r * axes.length + c] = s
    })
  }
  return out
}
