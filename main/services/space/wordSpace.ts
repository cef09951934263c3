/**
 * One loaded vector source: words in point order, raw vectors (for PCA) and, made once on
 * first use, unit vectors and the onnxruntime index over them (for cosine queries).
 */
import { NearestIndex } from './nearestIndex'
import type { Metadata } from './tsvFormat'
import { analogyQuery, normalizeRows, row, type Scored } from './vectorMath'

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
  private nearestIndex: Promise<NearestIndex> | null = null

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

  /** The cosine index, made once (a failed start is not kept: the next query tries again). */
  nearest(): Promise<NearestIndex> {
    if (!this.nearestIndex) {
      const pending = NearestIndex.create(this.unit, this.dims)
      this.nearestIndex = pending
      pending.catch(() => {
        if (this.nearestIndex === pending) this.nearestIndex = null
      })
    }
    return this.nearestIndex
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

  async neighbours(word: string, k: number): Promise<{ index: number; results: ScoredWord[] }> {
    const index = this.require(word)
    const found = await (
      await this.nearest()
    ).topK(row(this.unit, this.dims, index), k, new Set([index]))
    return { index, results: this.named(found) }
  }

  /** a − b + c, the three inputs excluded (see analogyQuery). */
  async analogy(
    a: string,
    b: string,
    c: string,
    k: number,
  ): Promise<{ indices: number[]; results: ScoredWord[] }> {
    const ids = [a, b, c].map((w) => this.require(w))
    const query = analogyQuery(this.unit, this.dims, ids[0], ids[1], ids[2])
    const found = await (await this.nearest()).topK(query, k, new Set(ids))
    return { indices: ids, results: this.named(found) }
  }

  /** The first n points (the n most frequent words for GloVe). */
  head(n: number | undefined): { vectors: Float32Array; count: number } {
    const count = Math.min(n ?? this.count, this.count)
    return { vectors: this.vectors.subarray(0, count * this.dims), count }
  }
}
