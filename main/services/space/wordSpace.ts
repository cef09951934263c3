/**
 * One loaded vector source: words in point order, raw vectors (for PCA) and, made once on
 * first use, unit vectors (for cosine queries).
 */
import type { Metadata } from './tsvFormat'
import { analogy, neighboursOf, normalizeRows, type Scored } from './vectorMath'

export interface ScoredWord {
  word: string
  index: number
  score: number
}

// Prefixes that tokenizers put before a word that follows a space (GPT-2/Llama 3 byte-level
// "Ġ", SentencePiece "▁"): "king" should find the model token "Ġking".
const SPACE_MARKS = ['Ġ', '▁', ' ']

export class UnknownWordError extends Error {
  constructor(readonly word: string) {
    super(`"${word}" is not in this space's vocabulary.`)
    this.name = 'UnknownWordError'
  }
}

export class WordSpace {
  private readonly index = new Map<string, number>()
  private unitCache: Float32Array | null = null

  constructor(
    readonly id: string,
    readonly label: string,
    readonly words: string[],
    readonly vectors: Float32Array,
    readonly dims: number,
    readonly metadata: Metadata | null = null,
    readonly note: string | null = null,
  ) {
    // The first occurrence wins: lists are in frequency (or id) order.
    words.forEach((w, i) => {
      if (!this.index.has(w)) this.index.set(w, i)
    })
  }

  get count(): number {
    return this.words.length
  }

  get unit(): Float32Array {
    this.unitCache ??= normalizeRows(this.vectors, this.dims)
    return this.unitCache
  }

  /** The point of a word: exact, then lower case, then as a word-initial model token. */
  find(word: string): number | undefined {
    const candidates = [word, word.toLowerCase(), ...SPACE_MARKS.map((m) => m + word)]
    for (const c of candidates) {
      const i = this.index.get(c)
      if (i !== undefined) return i
    }
    return undefined
  }

  require(word: string): number {
    const i = this.find(word.trim())
    if (i === undefined) throw new UnknownWordError(word)
    return i
  }

  private named(results: Scored[]): ScoredWord[] {
    return results.map((r) => ({ word: this.words[r.index], index: r.index, score: r.score }))
  }

  neighbours(word: string, k: number): { index: number; results: ScoredWord[] } {
    const index = this.require(word)
    return { index, results: this.named(neighboursOf(this.unit, this.dims, index, k)) }
  }

  analogy(
    a: string,
    b: string,
    c: string,
    k: number,
  ): { indices: number[]; results: ScoredWord[] } {
    const ids = [a, b, c].map((w) => this.require(w))
    return {
      indices: ids,
      results: this.named(analogy(this.unit, this.dims, ids[0], ids[1], ids[2], k)),
    }
  }

  /** The first n points (the n most frequent words for GloVe). */
  head(n: number | undefined): { vectors: Float32Array; count: number } {
    const count = Math.min(n ?? this.count, this.count)
    return { vectors: this.vectors.subarray(0, count * this.dims), count }
  }
}
