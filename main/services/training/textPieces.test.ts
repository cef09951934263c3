import { describe, expect, it } from 'vitest'
import { bpeTokenizerJson, trainBpe } from '../../../native-models/tokenizer-training/bpe'
import { prepareData } from './prepareData'
import { appendIds, textPieces } from './textPieces'

describe('textPieces', () => {
  it('gives the text back exactly, in pieces of bounded size cut before whitespace', () => {
    const text = 'First paragraph.\n\n\nSecond one, ' + 'word '.repeat(50) + 'end.\n\nLast'
    const pieces = textPieces(text, 40)
    expect(pieces.join('')).toBe(text)
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThanOrEqual(40)
    expect(pieces[0]).toBe('First paragraph.\n\n\n')
    expect(pieces.slice(2, -2).every((p) => p.startsWith(' '))).toBe(true)
    // No whitespace at all: cut at the limit.
    expect(textPieces('x'.repeat(100), 40).map((p) => p.length)).toEqual([40, 40, 20])
  })

  it('appends a million ids without spreading them onto the stack', () => {
    const into: number[] = []
    appendIds(into, new Uint32Array(1_000_000).fill(7))
    expect(into).toHaveLength(1_000_000)
  })
})

describe('prepareData on one long paragraph', () => {
  it('tokenizes 2 MB without a blank line (it used to overflow the call stack)', async () => {
    // Letters at random, so the few merges of a small vocabulary leave ~1 token per byte.
    let state = 1
    const letter = () => {
      state = (state * 1103515245 + 12345) % 2 ** 31
      return 'abcdefghij klmnop'[state % 17]
    }
    const texts = [Array.from({ length: 2_000_000 }, letter).join('')]
    const json = bpeTokenizerJson(
      trainBpe([texts[0].slice(0, 5000)], { vocabSize: 280, specialTokens: ['<|endoftext|>'] }),
    )
    const job = {
      texts,
      tokenizerJson: json,
      tokenizerConfig: {},
      seqLen: 64,
      eosId: 0,
      heldOutFraction: 0.1,
      seed: 1,
    }
    const result = await prepareData(job)
    expect(result.tokens).toBeGreaterThan(1_000_000)
    expect(result.train.count).toBeGreaterThan(0)
  }, 120_000)
})
