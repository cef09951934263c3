// Qwen3, Gemma 3 and Phi-3 through GGUF and back: an HF fixture exported by us and loaded by
// our GGUF reader gives the fixture's own logits; configs llama.cpp would run differently
// are refused by name; llama.cpp's fixed Gemma 3 values come back as HF config fields.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { exportGguf, openHfModel } from '../io/ggufExport'
import { readGgufModel } from '../io/ggufModel'
import { llamaCppFixture, patchConfig } from '../io/llamaCppFixture'
import { loadModel } from '../io/index'
import { SafetensorsWeights } from '../io/safetensors'
import type { FixtureArch } from '../runtime/types'
import { GgufMetadata, type GgufTensorAccess } from './ggufArchitectures'
import { gemma3 } from './ggufRecentArchs'
import { gguf, ggufChunks, type GgufFile, type GgufScalar, type GgufValue } from './ggufWriter'
import { hfToGguf } from './hfToGguf'
import {
  QK,
  decodeF16,
  dequantizeQ4_0,
  dequantizeQ8_0,
  encodeF16,
  quantizeQ4_0,
  quantizeQ8_0,
} from './quantize'

let root: string
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'glassbox-gguf-recent-'))
})
afterAll(() => rmSync(root, { recursive: true, force: true }))

// Longer than the Gemma fixture's window of 6, so its sliding layer masks.
const ids = [1, 17, 42, 99, 3, 250, 7, 64, 12, 200]

type Json = Record<string, unknown>

/** A weight as the writer stores it at `type` (hfToGguf's tensorType), back in float32. */
function rounded(type: 'f16' | 'q8_0' | 'q4_0', shape: number[], x: Float32Array): Float32Array {
  if (shape.length < 2) return x
  if (type === 'f16' || shape[shape.length - 1] % QK !== 0) return decodeF16(encodeF16(x))
  return type === 'q8_0' ? dequantizeQ8_0(quantizeQ8_0(x)) : dequantizeQ4_0(quantizeQ4_0(x))
}

function maxDiff(a: Float32Array[], b: Float32Array[]): number {
  let d = 0
  for (let p = 0; p < a.length; p++)
    for (let i = 0; i < a[p].length; i++) d = Math.max(d, Math.abs(a[p][i] - b[p][i]))
  return d
}

const open = (path: string) =>
  loadModel(path, { executionProvider: 'cpu', cacheDir: join(root, 'cache') })

describe.each(['qwen3', 'gemma3', 'phi3'] as FixtureArch[])('GGUF out and in: %s', (arch) => {
  const dir = () => join(root, arch)
  const file = () => join(root, `${arch}-f32.gguf`)
  beforeAll(async () => {
    await llamaCppFixture(dir(), arch)
    exportGguf(dir(), file(), 'f32')
  })

  it('the f32 file gives the fixture logits within 1e-4', async () => {
    const hf = await open(dir())
    const reference = await hf.logits(ids)
    await hf.dispose()
    const model = await open(file())
    try {
      const got = await model.logits(ids)
      const diff = maxDiff(got, reference)
      console.log(`[gguf recent] ${arch} f32: max |Δlogit| ${diff.toExponential(2)}`)
      // The same float32 weights through the same graph; Gemma's norms come back as
      // (w + 1) − 1 in float32, off by at most half an ulp of 1 (6e-8).
      expect(diff).toBeLessThan(1e-4)
    } finally {
      await model.dispose()
    }
  })

  // Each quantized file is checked twice. Exactly: its logits are those of its own rounded
  // weights (each matrix rounded as the writer rounds it, then written at f32), within 1e-4,
  // so whatever the rounding does, the layout of blocks, fused tensors and norms is right.
  // Loosely, against the fixture, as a fraction of its largest |logit|: f16 rounds each
  // weight to 11 significant bits, q8_0 to amax/254 per block of 32, q4_0 to one of 16
  // levels per block, compounded over the layers. Phi-3's fixture (long rope factors,
  // attention factor above 1) is the most sensitive: measured 1.4e-3, 7.8e-2 and 0.43.
  it.each([
    ['f16', 3e-3],
    ['q8_0', 0.1],
    ['q4_0', 0.6],
  ] as const)(
    'the %s file runs its rounded weights; within %s of the logit scale',
    async (type, bound) => {
      const hf = await open(dir())
      const reference = await hf.logits(ids)
      await hf.dispose()
      const path = join(root, `${arch}-${type}.gguf`)
      exportGguf(dir(), path, type)
      const source = openHfModel(dir())
      const read = source.read
      source.read = (name) => rounded(type, source.shapes.get(name)!, read(name))
      const roundedPath = join(root, `${arch}-${type}-rounded-f32.gguf`)
      writeFileSync(roundedPath, Buffer.concat([...ggufChunks(hfToGguf(source, 'f32'))]))
      const logitsOf = async (file: string) => {
        const model = await open(file)
        try {
          return await model.logits(ids)
        } finally {
          await model.dispose()
        }
      }
      const got = await logitsOf(path)
      const diff = maxDiff(got, reference)
      const scale = maxDiff(
        reference,
        reference.map((r) => r.map(() => 0)),
      )
      // q8_0 runs at accuracy level 4, its activations rounded to int8 per block of 32 as
      // llama.cpp does (arch/common.ts, nBits): one more rounding than the weights', measured
      // up to 2.4 % of the logit scale (io/ggufModel.test.ts). The others run exact blocks.
      const ownRounding = type === 'q8_0' ? 4e-2 * scale : 1e-4
      expect(maxDiff(got, await logitsOf(roundedPath))).toBeLessThan(ownRounding)
      console.log(
        `[gguf recent] ${arch} ${type}: max |Δlogit| ${diff.toExponential(2)} of ${scale}`,
      )
      expect(diff).toBeLessThan(bound * scale)
    },
  )

  it('reads every tensor back under its HF name', () => {
    const hf = new SafetensorsWeights(dir())
    const { weights } = readGgufModel(file())
    expect(weights.names().sort()).toEqual(hf.names().sort())
    for (const name of weights.names()) {
      const [a, b] = [weights.f32(name), hf.f32(name)]
      expect(weights.entry(name).shape).toEqual(hf.entry(name).shape)
      let worst = 0
      for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]))
      expect(worst, name).toBeLessThanOrEqual(arch === 'gemma3' ? 6e-8 : 0)
    }
  })

  it('turns the metadata back into the config that matters', () => {
    const hf = JSON.parse(readFileSync(join(dir(), 'config.json'), 'utf8')) as Json
    const { configJson } = readGgufModel(file())
    const keys: Record<string, string[]> = {
      qwen3: ['head_dim', 'num_key_value_heads', 'rope_theta', 'tie_word_embeddings'],
      gemma3: [
        'head_dim',
        'query_pre_attn_scalar',
        'layer_types',
        'sliding_window',
        'rope_local_base_freq',
        'rope_theta',
      ],
      phi3: ['partial_rotary_factor', 'original_max_position_embeddings', 'rope_theta'],
    }
    for (const key of keys[arch]) expect(configJson[key], key).toEqual(hf[key])
    if (arch === 'phi3') {
      const s = configJson.rope_scaling as Json
      const want = hf.rope_scaling as Json
      expect(s.short_factor).toEqual(want.short_factor)
      expect(s.long_factor).toEqual(want.long_factor)
    }
  })
})

describe('GGUF export refuses what llama.cpp would run differently', () => {
  const refused = async (arch: FixtureArch, patch: Json, field: RegExp) => {
    const dir = join(root, `refuse-${arch}-${Object.keys(patch).join('-')}`)
    await llamaCppFixture(dir, arch)
    patchConfig(dir, patch)
    expect(() => exportGguf(dir, join(dir, 'out.gguf'), 'f32')).toThrow(field)
  }
  it('Gemma 3 with query_pre_attn_scalar other than head_dim', async () => {
    await refused('gemma3', { query_pre_attn_scalar: 3 }, /query_pre_attn_scalar.*set it to \d+/)
  })
  it('Gemma 3 whose sliding layers follow no period', async () => {
    const layer_types = ['full_attention', 'sliding_attention']
    await refused('gemma3', { layer_types }, /layer_types/)
  })
  it('Gemma 3 with attention softcapping', async () => {
    await refused('gemma3', { attn_logit_softcapping: 50 }, /attn_logit_softcapping/)
  })
  it('Phi-3 with a sliding window inside its context', async () => {
    await refused('phi3', { sliding_window: 7 }, /sliding_window.*llama\.cpp#13676/)
  })
})

describe("Gemma 3 values llama.cpp fixes come back as HF's config", () => {
  const meta = (entries: Record<string, GgufScalar>) =>
    new GgufMetadata(new Map(Object.entries(entries).map(([k, v]) => [`gemma3.${k}`, v])), 'gemma3')
  const tensors: GgufTensorAccess = {
    has: () => false,
    shape: () => [],
    f32: () => new Float32Array(),
  }
  const base = {
    embedding_length: 5376,
    'attention.head_count': 32,
    'attention.key_length': 128,
    feed_forward_length: 21504,
    context_length: 131072,
    'attention.sliding_window': 1024,
  }
  it('every 6th layer global, local RoPE base 10 000, scale 1/√head_dim', () => {
    const c = gemma3.config(meta({ ...base, block_count: 26 }), tensors)
    const types = c.layer_types as string[]
    expect(types.filter((t) => t === 'full_attention').length).toBe(4)
    expect(types.slice(0, 6)).toEqual([...Array(5).fill('sliding_attention'), 'full_attention'])
    expect(c.rope_local_base_freq).toBe(10000)
    expect(c.query_pre_attn_scalar).toBe(128)
  })
  it('the 27B (62 layers) scaled by hidden / heads, as llama.cpp does', () => {
    const c = gemma3.config(meta({ ...base, block_count: 62 }), tensors)
    expect(c.query_pre_attn_scalar).toBe(5376 / 32)
  })
  it('no sliding window: every layer full', () => {
    const { 'attention.sliding_window': _, ...rest } = base
    const c = gemma3.config(meta({ ...rest, block_count: 4 }), tensors)
    expect(c.layer_types).toEqual(Array(4).fill('full_attention'))
  })
})

describe('bad Gemma 3 and Phi-3 GGUF files: one line naming the file', () => {
  const bad = async (arch: FixtureArch, name: string, edit: (f: GgufFile) => GgufFile) => {
    const dir = join(root, `bad-${name}`)
    await llamaCppFixture(dir, arch)
    const path = join(root, `${name}.gguf`)
    writeFileSync(path, Buffer.concat([...ggufChunks(edit(hfToGguf(openHfModel(dir), 'f32')))]))
    let message = ''
    try {
      readGgufModel(path)
    } catch (e) {
      message = (e as Error).message
    }
    expect(message.startsWith(`${path}: `)).toBe(true)
    expect(message).not.toContain('\n')
    return message
  }
  it('Phi-3 with one of its two rope factor tensors', async () => {
    const message = await bad('phi3', 'phi3-one-factor', (f) => ({
      ...f,
      tensors: f.tensors.filter((t) => t.name !== 'rope_factors_short.weight'),
    }))
    expect(message).toMatch(/only one of rope_factors_long\.weight and rope_factors_short\.weight/)
  })
  it('Phi-3 whose rope factors do not fit the rotary width', async () => {
    const message = await bad('phi3', 'phi3-factor-size', (f) => ({
      ...f,
      metadata: f.metadata.map(([k, v]): [string, GgufValue] =>
        k === 'phi3.rope.dimension_count' ? [k, gguf.u32(4)] : [k, v],
      ),
    }))
    expect(message).toMatch(
      /rope_factors_short\.weight has shape \[\d+\] but the rotary width implies \[2\]/,
    )
  })
  it('Gemma 3 with a RoPE scaling type llama.cpp does not read for it', async () => {
    const message = await bad('gemma3', 'gemma3-yarn', (f) => ({
      ...f,
      metadata: [...f.metadata, ['gemma3.rope.scaling.type', gguf.str('yarn')]],
    }))
    expect(message).toMatch(
      /gemma3\.rope\.scaling\.type "yarn" is not supported \(supported: none, linear\)/,
    )
  })
  it('Gemma 3 whose q norm does not match the head size', async () => {
    const message = await bad('gemma3', 'gemma3-head', (f) => ({
      ...f,
      metadata: f.metadata.map(([k, v]): [string, GgufValue] =>
        k === 'gemma3.attention.key_length' ? [k, gguf.u32(8)] : [k, v],
      ),
    }))
    expect(message).toMatch(/tensor blk\.0\.attn_q\.weight has shape/)
  })
})
