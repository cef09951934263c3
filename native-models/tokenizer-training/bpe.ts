import { byteLevelWords, byteToUnicodeTable } from './byteLevel'

// Byte-level BPE training as in Sennrich et al. 2016 ("Neural Machine Translation of Rare
// Words with Subword Units") over GPT-2's byte alphabet: start from the 256 bytes, then
// repeatedly merge the most frequent adjacent pair of symbols within pre-tokenized words.

export interface BpeOptions {
  /** Final vocabulary size, special tokens and the 256 bytes included. */
  vocabSize: number
  /** Added first, with ids 0..n-1 (e.g. '<|endoftext|>'). */
  specialTokens?: string[]
  /** A pair seen fewer times than this is never merged. */
  minFrequency?: number
  /** Called every 100 merges so long trainings can show progress. */
  onProgress?: (merges: number, target: number) => void
}

export interface BpeModel {
  vocab: Map<string, number>
  merges: [string, string][]
  specialTokens: string[]
}

const PAIR_BASE = 1 << 20 // symbol ids stay below this, so a pair packs into one number

export function trainBpe(texts: Iterable<string>, options: BpeOptions): BpeModel {
  const specials = options.specialTokens ?? []
  const minFrequency = options.minFrequency ?? 2
  const table = byteToUnicodeTable()
  const symbols: string[] = [...specials, ...table]
  const idOf = new Map(symbols.map((s, i) => [s, i]))
  if (options.vocabSize < symbols.length) {
    throw new Error(`vocabSize ${options.vocabSize} is below the ${symbols.length} base symbols`)
  }

  const wordCounts = new Map<string, number>()
  for (const text of texts) {
    for (const w of byteLevelWords(text, table)) wordCounts.set(w, (wordCounts.get(w) ?? 0) + 1)
  }
  const words: number[][] = []
  const counts: number[] = []
  for (const [w, c] of wordCounts) {
    words.push([...w].map((ch) => idOf.get(ch)!))
    counts.push(c)
  }

  const pairCount = new Map<number, number>()
  const pairWords = new Map<number, Set<number>>()
  const addWord = (wi: number, sign: 1 | -1): void => {
    const w = words[wi]
    for (let i = 0; i + 1 < w.length; i++) {
      const key = w[i] * PAIR_BASE + w[i + 1]
      pairCount.set(key, (pairCount.get(key) ?? 0) + sign * counts[wi])
      if (sign > 0) {
        let set = pairWords.get(key)
        if (!set) pairWords.set(key, (set = new Set()))
        set.add(wi)
      }
    }
  }
  for (let wi = 0; wi < words.length; wi++) addWord(wi, 1)

  const merges: [string, string][] = []
  const target = options.vocabSize - symbols.length
  while (merges.length < target) {
    let best = -1
    let bestCount = minFrequency - 1
    // Ties go to the smaller key, so training is deterministic for a given corpus.
    for (const [key, c] of pairCount) {
      if (c > bestCount || (c === bestCount && best >= 0 && key < best)) {
        best = key
        bestCount = c
      }
    }
    if (best < 0) break
    const a = Math.floor(best / PAIR_BASE)
    const b = best % PAIR_BASE
    const merged = symbols.length
    symbols.push(symbols[a] + symbols[b])
    merges.push([symbols[a], symbols[b]])
    for (const wi of pairWords.get(best) ?? []) {
      addWord(wi, -1)
      const w = words[wi]
      const next: number[] = []
      for (let i = 0; i < w.length; i++) {
        if (i + 1 < w.length && w[i] === a && w[i + 1] === b) {
          next.push(merged)
          i++
        } else next.push(w[i])
      }
      words[wi] = next
      addWord(wi, 1)
    }
    pairCount.delete(best)
    pairWords.delete(best)
    if (merges.length % 100 === 0) options.onProgress?.(merges.length, target)
  }
  return { vocab: new Map(symbols.map((s, i) => [s, i])), merges, specialTokens: specials }
}

/** HF tokenizer.json for a byte-level BPE model, the layout GPT-2's tokenizer.json uses. */
export function bpeTokenizerJson(model: BpeModel): Record<string, unknown> {
  const byteLevel = { add_prefix_space: false, trim_offsets: true, use_regex: true }
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: model.specialTokens.map((content) => ({
      id: model.vocab.get(content),
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', ...byteLevel },
    post_processor: { type: 'ByteLevel', ...byteLevel, trim_offsets: false },
    decoder: { type: 'ByteLevel', ...byteLevel },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab: Object.fromEntries(model.vocab),
      merges: model.merges.map(([a, b]) => `${a} ${b}`),
    },
  }
}
