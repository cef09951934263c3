import { Tokenizer } from '@huggingface/tokenizers'
import { describe, expect, it } from 'vitest'
import { bpeTokenizerJson, trainBpe } from './bpe'

const corpus = [
  'In the beginning God created the heaven and the earth.',
  'And the earth was without form, and void; and darkness was upon the face of the deep.',
  'The quick brown fox jumps over the lazy dog. The dog sleeps; the fox runs!',
  'Numbers like 1234 and 2026, unicode like café, naïve, 東京 and emoji 🙂 must survive.',
]

function trained(vocabSize: number): Tokenizer {
  const model = trainBpe(corpus, { vocabSize, minFrequency: 1, specialTokens: ['<|endoftext|>'] })
  const json = bpeTokenizerJson(model)
  return new Tokenizer(json, { eos_token: '<|endoftext|>', bos_token: '<|endoftext|>' })
}

describe('byte-level BPE trainer', () => {
  it('writes a tokenizer.json that @huggingface/tokenizers loads and round-trips text', () => {
    const tokenizer = trained(400)
    for (const text of [...corpus, 'Unseen words: zebra, Ångström, ½ and \t tabs\nnew lines.']) {
      const { ids } = tokenizer.encode(text)
      expect(tokenizer.decode(ids)).toBe(text)
    }
  })

  it('learns merges that shorten frequent words', () => {
    const base = trained(257).encode(corpus[0]).ids.length
    const merged = trained(400).encode(corpus[0]).ids.length
    expect(merged).toBeLessThan(base / 2)
  })

  it('is deterministic and stops at the requested size', () => {
    const a = trainBpe(corpus, { vocabSize: 320, minFrequency: 1 })
    const b = trainBpe(corpus, { vocabSize: 320, minFrequency: 1 })
    expect(a.merges).toEqual(b.merges)
    expect(a.vocab.size).toBe(320)
  })

  it('keeps special tokens whole', () => {
    const tokenizer = trained(300)
    const ids = tokenizer.encode('the end<|endoftext|>').ids
    expect(ids[ids.length - 1]).toBe(0)
  })
})
