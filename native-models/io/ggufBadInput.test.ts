import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { GgufValueType } from '../gguf/ggmlTypes'
import { parseGguf } from '../gguf/ggufReader'
import { ggufChunks, gguf, type GgufFile, type GgufValue } from '../gguf/ggufWriter'
import { hfToGguf } from '../gguf/hfToGguf'
import { openHfModel } from './ggufExport'
import { readGgufModel } from './ggufModel'
import { loadModel, writeFixtureModel } from './index'

// Every bad GGUF gets one line that starts with the file's path and says what is wrong;
// loading one leaves no graph cache behind.

let root: string
let good: Buffer
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'glassbox-gguf-bad-'))
  await writeFixtureModel(join(root, 'hf'), { arch: 'llama', numKvHeads: 2 })
  good = Buffer.concat([...ggufChunks(hfToGguf(openHfModel(join(root, 'hf')), 'f32'))])
})
afterAll(() => rmSync(root, { recursive: true, force: true }))

function write(name: string, bytes: Uint8Array): string {
  const path = join(root, name)
  writeFileSync(path, bytes)
  return path
}

/** The fixture's GGUF with its metadata edited (value undefined: key removed). */
function withMetadata(name: string, edits: Record<string, GgufValue | undefined>): string {
  const file: GgufFile = hfToGguf(openHfModel(join(root, 'hf')), 'f32')
  const metadata = file.metadata.filter(([k]) => !(k in edits))
  for (const [k, v] of Object.entries(edits)) if (v) metadata.push([k, v])
  return write(name, Buffer.concat([...ggufChunks({ ...file, metadata })]))
}

/** Where tensor `name`'s info (type u32, then offset u64) sits in the header. */
function tensorInfoAt(bytes: Buffer, name: string): { type: number; offset: number } {
  const at = bytes.indexOf(Buffer.from(name)) + name.length
  const dims = bytes.readUInt32LE(at)
  const type = at + 4 + dims * 8
  return { type, offset: type + 4 }
}

function expectOneLine(path: string, pattern: RegExp): void {
  let message = ''
  try {
    readGgufModel(path)
  } catch (e) {
    message = (e as Error).message
  }
  expect(message).toMatch(pattern)
  expect(message.startsWith(`${path}: `)).toBe(true)
  expect(message).not.toContain('\n')
}

describe('bad GGUF files', () => {
  it('an unsupported architecture names it and what is supported', () => {
    const path = withMetadata('mamba.gguf', { 'general.architecture': gguf.str('mamba') })
    expectOneLine(
      path,
      /architecture "mamba" is not supported \(supported: llama, qwen2, qwen3, gemma3, phi3, gpt2\)/,
    )
  })

  it('an unsupported tensor type names the tensor, the type and what is supported', () => {
    const bytes = Buffer.from(good)
    bytes.writeUInt32LE(16, tensorInfoAt(bytes, 'blk.0.attn_q.weight').type) // IQ2_XXS
    expectOneLine(
      write('iq2.gguf', bytes),
      /tensor blk\.0\.attn_q\.weight has type 16, not supported \(supported: F32, F16, Q4_0.*Q6_K, BF16\)/,
    )
  })

  it('a file cut short in its data or in its header', () => {
    expectOneLine(
      write('cut.gguf', good.subarray(0, good.length - 100)),
      /is truncated or corrupt: tensor \S+ ends at byte \d+, past the file's \d+ bytes/,
    )
    expectOneLine(write('cut-header.gguf', good.subarray(0, 200)), /is truncated: the header/)
    expectOneLine(write('empty.gguf', new Uint8Array(0)), /is not a GGUF file/)
  })

  it('a tensor offset past the end, and two tensors that overlap', () => {
    const past = Buffer.from(good)
    past.writeBigUInt64LE(1n << 40n, tensorInfoAt(past, 'blk.1.ffn_down.weight').offset)
    expectOneLine(write('past.gguf', past), /tensor blk\.1\.ffn_down\.weight ends at byte/)
    const overlap = Buffer.from(good)
    const first = overlap.readBigUInt64LE(tensorInfoAt(overlap, 'blk.0.attn_q.weight').offset)
    overlap.writeBigUInt64LE(first, tensorInfoAt(overlap, 'blk.0.attn_k.weight').offset)
    expectOneLine(
      write('overlap.gguf', overlap),
      /tensors blk\.0\.attn_\w\.weight and blk\.0\.attn_\w\.weight overlap/,
    )
  })

  it('metadata that disagrees with the tensor shapes', () => {
    const path = withMetadata('kv.gguf', { 'llama.attention.head_count_kv': gguf.u32(4) })
    expectOneLine(
      path,
      /tensor blk\.0\.attn_k\.weight has shape \[32,64\] but the metadata implies \[64,64\]/,
    )
    const layers = withMetadata('layers.gguf', { 'llama.block_count': gguf.u32(3) })
    expect(() => readGgufModel(layers)).not.toThrow() // found missing when the graph asks:
    return loadModel(layers, { cacheDir: join(root, 'cache') }).then(
      () => expect.unreachable(),
      (e: Error) => expect(e.message).toMatch(/layers\.gguf: has no tensor for model\.layers\.2\./),
    )
  })

  it('a vocabulary whose size is not the embedding rows', () => {
    const tokens = parseGguf(good).metadata.get('tokenizer.ggml.tokens') as string[]
    const path = withMetadata('vocab.gguf', {
      'tokenizer.ggml.tokens': gguf.strings(tokens.slice(0, -1)),
    })
    expectOneLine(
      path,
      new RegExp(
        `tokenizer.ggml.tokens has ${tokens.length - 1} tokens but token_embd.weight has ${tokens.length} rows`,
      ),
    )
    const declared = withMetadata('vocab-size.gguf', { 'llama.vocab_size': gguf.u32(7) })
    expectOneLine(declared, /llama\.vocab_size is 7 but token_embd\.weight has \d+ rows/)
  })

  it('an unknown RoPE type names it and what is supported', () => {
    const path = withMetadata('yarn.gguf', {
      'llama.rope.scaling.type': gguf.str('yarn'),
      'llama.rope.scaling.factor': gguf.f32(4),
    })
    expectOneLine(
      path,
      /llama\.rope\.scaling\.type "yarn" is not supported \(supported: none, linear/,
    )
  })

  it('an unsupported version, and a metadata value of an unknown type', () => {
    const v1 = Buffer.from(good)
    v1.writeUInt32LE(1, 4)
    expectOneLine(write('v1.gguf', v1), /is GGUF version 1; supported: 2, 3/)
    const v2 = Buffer.from(good)
    v2.writeUInt32LE(2, 4)
    expect(readGgufModel(write('v2.gguf', v2)).cfg.modelType).toBe('llama')
    const odd = Buffer.from(good)
    const key = Buffer.from('general.architecture')
    odd.writeUInt32LE(99, odd.indexOf(key) + key.length)
    expect(GgufValueType[99]).toBeUndefined()
    expectOneLine(
      write('odd.gguf', odd),
      /metadata general\.architecture has unknown value type 99/,
    )
  })

  it('a failed load leaves no graph cache behind', async () => {
    const path = withMetadata('nocache.gguf', { 'general.architecture': gguf.str('rwkv6') })
    const cacheDir = join(root, 'nocache-cache')
    await expect(loadModel(path, { cacheDir })).rejects.toThrow(/rwkv6/)
    expect(existsSync(cacheDir)).toBe(false)
    expect(readFileSync(path).length).toBeGreaterThan(0) // and the file itself is untouched
  })
})
