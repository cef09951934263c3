// The API's embeddings, from the loaded model's own insides pass.
import type { LoadedModel } from '../../../native-models/runtime/types'

/**
 * One vector per text: the last layer's hidden states (before the final norm) averaged over
 * the text's tokens, then scaled to unit length, as sentence-transformers' mean pooling does.
 */
export async function embedTexts(
  loaded: LoadedModel,
  texts: string[],
): Promise<{ vectors: number[][]; tokens: number }> {
  const vectors: number[][] = []
  let tokens = 0
  for (const text of texts) {
    const ids = loaded.tokenizer.encode(text, { addSpecialTokens: true })
    if (ids.length === 0) throw new Error('An input to embed is empty.')
    tokens += ids.length
    const { hidden } = await loaded.insides(ids)
    const last = hidden[hidden.length - 1]
    const size = last.length / ids.length
    const mean = new Array<number>(size).fill(0)
    for (let t = 0; t < ids.length; t++)
      for (let i = 0; i < size; i++) mean[i] += last[t * size + i] / ids.length
    const norm = Math.hypot(...mean) || 1
    vectors.push(mean.map((v) => v / norm))
  }
  return { vectors, tokens }
}
