import { Tokenizer } from '@huggingface/tokenizers'
import { describe, expect, it } from 'vitest'
import { bpeTokenizerJson, trainBpe } from '../../../native-models/tokenizer-training/bpe'
import { prepareData } from './prepareData'

describe('prepareData (worker thread)', () => {
  it('tokenizes, packs and splits off a held-out set, reporting progress', async () => {
    const texts = Array.from(
      { length: 40 },
      (_, i) => `Note ${i}: the river bank was quiet.\n\nThe bank lent money ${i} times.`,
    )
    const json = bpeTokenizerJson(
      trainBpe(texts, { vocabSize: 300, specialTokens: ['<|endoftext|>'] }),
    )
    const progress: number[] = []
    const result = await prepareData(
      {
        texts,
        tokenizerJson: json,
        tokenizerConfig: {},
        seqLen: 16,
        eosId: 0,
        heldOutFraction: 0.1,
        seed: 1,
      },
      (done) => progress.push(done),
    )
    const direct = new Tokenizer(json, {}).encode(texts[0]).ids.length
    expect(result.tokens).toBeGreaterThan(40 * direct * 0.9)
    expect(result.train.count + result.heldOut.count).toBe(
      Math.floor((result.tokens + 40 - 1) / 16),
    )
    expect(result.heldOut.count).toBeGreaterThan(0)
    expect(progress.length).toBe(40)
  })
})
