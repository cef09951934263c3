/**
 * Context view: the same word in several sentences, its hidden state at every layer, all
 * projected together by one PCA, so each sentence draws a path from the shared input
 * embedding (layer 0) to its own contextual meaning.
 */
import { ApiError } from '../../contract/define'
import { pca } from './pca'
import { normalize, normalizeRows, topKByDot } from './vectorMath'

/** The part of native-models' LoadedModel that the space needs (structural, so tests and the
 * compute child can supply their own). */
export interface SpaceModel {
  info: { dir: string; name: string; hiddenSize: number; numLayers: number }
  tokenizer: {
    encode(text: string, opts?: { addSpecialTokens?: boolean }): number[]
    decode(ids: number[], opts?: { skipSpecialTokens?: boolean }): string
    idToToken(id: number): string
    readonly vocabSize: number
  }
  embeddingMatrix(): Float32Array
  insides(ids: number[]): Promise<{ hidden: Float32Array[]; hiddenSize: number }>
}

export interface ContextPathResult {
  sentence: string
  tokenIndex: number
  token: string
  points: [number, number, number][]
  nearest: { word: string; score: number }[][]
}

function indexOfRun(haystack: number[], needle: number[]): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer
    return i
  }
  return -1
}

/**
 * Position of `word` in the tokenised sentence: the last sub-token of its first occurrence
 * (the one whose state has read the whole word), tried as a word after a space, then bare,
 * then as any token whose text contains it.
 */
export function findWordToken(
  model: SpaceModel,
  ids: number[],
  word: string,
): { start: number; end: number } | null {
  for (const form of [` ${word}`, word, ` ${word.toLowerCase()}`, word.toLowerCase()]) {
    const run = model.tokenizer.encode(form, { addSpecialTokens: false })
    if (run.length === 0) continue
    const at = indexOfRun(ids, run)
    if (at >= 0) return { start: at, end: at + run.length - 1 }
  }
  const target = word.toLowerCase()
  const i = ids.findIndex((id) => model.tokenizer.decode([id]).toLowerCase().includes(target))
  return i >= 0 ? { start: i, end: i } : null
}

export async function contextPaths(
  model: SpaceModel,
  word: string,
  sentences: string[],
  k: number,
): Promise<{ layers: number; explainedVariance: number[]; paths: ContextPathResult[] }> {
  const hiddenSize = model.info.hiddenSize
  const states: Float32Array[] = []
  const found: { sentence: string; tokenIndex: number; token: string }[] = []
  for (const sentence of sentences) {
    const ids = model.tokenizer.encode(sentence, { addSpecialTokens: true })
    const span = findWordToken(model, ids, word)
    if (!span) throw new ApiError('bad_request', `"${word}" does not occur in: ${sentence}`)
    const tokenIndex = span.end
    const { hidden } = await model.insides(ids)
    // One row per layer (0 = embeddings): this sentence's path.
    const path = new Float32Array(hidden.length * hiddenSize)
    hidden.forEach((layer, l) =>
      path.set(
        layer.subarray(tokenIndex * hiddenSize, (tokenIndex + 1) * hiddenSize),
        l * hiddenSize,
      ),
    )
    states.push(path)
    // The word as the model split it (e.g. "b|ank"); its last piece carries the state.
    const pieces = ids.slice(span.start, span.end + 1).map((id) => model.tokenizer.decode([id]))
    found.push({ sentence, tokenIndex, token: pieces.join('|') })
  }
  const layers = states[0].length / hiddenSize
  const all = new Float32Array(states.length * layers * hiddenSize)
  states.forEach((s, i) => all.set(s, i * layers * hiddenSize))
  const projected = pca(all, hiddenSize, 3)
  const unitVocab = normalizeRows(model.embeddingMatrix(), hiddenSize)
  const paths = found.map((f, s) => {
    const points: [number, number, number][] = []
    const nearest: { word: string; score: number }[][] = []
    for (let l = 0; l < layers; l++) {
      const r = s * layers + l
      const p = projected.positions
      points.push([p[r * 3], p[r * 3 + 1], p[r * 3 + 2]])
      const query = normalize(all.subarray(r * hiddenSize, (r + 1) * hiddenSize))
      nearest.push(
        topKByDot(unitVocab, hiddenSize, query, k).map((x) => ({
          word: model.tokenizer.decode([x.index]),
          score: x.score,
        })),
      )
    }
    return { ...f, points, nearest }
  })
  return { layers, explainedVariance: projected.explainedVariance, paths }
}
