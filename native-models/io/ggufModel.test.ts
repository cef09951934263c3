import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { byteLevelTokenizer } from '../fixture/byteLevelTokenizer'
import { seededRandom } from '../fixture/randomModel'
import { GgmlType, type ExportType } from '../gguf/ggmlTypes'
import { dequantize } from '../gguf/dequantize'
import { ggufChunks } from '../gguf/ggufWriter'
import { hfToGguf, type HfModelSource } from '../gguf/hfToGguf'
import { q4KMMix } from '../gguf/kQuantize'
import { dequantizeQ4_0, dequantizeQ8_0, quantizeQ4_0, quantizeQ8_0 } from '../gguf/quantize'
import type { HfTokenizerJson } from '../gguf/tokenizerMetadata'
import type { FixtureArch } from '../runtime/types'
import { ChatRenderer, HfTextTokenizer } from '../tokenizer/textTokenizer'
import { exportGguf, openHfModel } from './ggufExport'
import { readGgufModel } from './ggufModel'
import { SafetensorsWeights } from './safetensors'
import { loadModel, writeFixtureModel } from './index'

let root: string
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'glassbox-gguf-in-'))
})
afterAll(() => rmSync(root, { recursive: true, force: true }))

const ids = [1, 17, 42, 99, 3, 250, 7, 64]

/**
 * Largest |logit(GGUF) − logit(HF fixture)| allowed, as a fraction of the fixture's largest
 * |logit| (about 4 for these random models):
 * - f32: the same numbers through the same graph; undoing the q/k permutation moves rows
 *   and changes no value. Llama's rope scaling comes back from rope_freqs as parameters
 *   that give the same frequencies to float32 rounding, hence not exactly 0.
 * - f16: each weight rounded to 11 significant bits (relative error ≤ 2⁻¹¹ ≈ 5e-4); measured
 *   about 1e-3 of the scale.
 * - q8_0: each weight within amax/254 of itself per block of 32, and the activations rounded
 *   the same way (Q8_0 blocks run at MatMulNBits accuracy level 4, as llama.cpp runs q8_0:
 *   ort has no fast 8-bit kernel with float activations); measured 2.6–4.2 % (about 2 % with
 *   float activations).
 * - q4_0: one of 16 levels of d = max/−8 per block: errors of up to |d| on random weights
 *   without structure, compounded over the layers; measured up to 37 %. The bound only says
 *   the file runs and stays near the model: that the weights are exactly the right ones is
 *   checked tensor by tensor below.
 */
const bounds: Record<ExportType, number> = { f32: 1e-5, f16: 3e-3, q8_0: 6e-2, q4_0: 0.5 }

async function fixtureLogits(dir: string): Promise<Float32Array[]> {
  const model = await loadModel(dir, { executionProvider: 'cpu', cacheDir: join(root, 'cache') })
  try {
    return await model.logits(ids)
  } finally {
    await model.dispose()
  }
}

function maxDiff(a: Float32Array[], b: Float32Array[]): number {
  let d = 0
  for (let p = 0; p < a.length; p++)
    for (let i = 0; i < a[p].length; i++) d = Math.max(d, Math.abs(a[p][i] - b[p][i]))
  return d
}

describe.each(['llama', 'qwen2', 'gpt2'] as FixtureArch[])('GGUF in: %s fixture', (arch) => {
  const dir = () => join(root, arch)
  let reference: Float32Array[]
  beforeAll(async () => {
    await writeFixtureModel(dir(), { arch, numKvHeads: arch === 'gpt2' ? undefined : 2 })
    reference = await fixtureLogits(dir())
  })

  it.each(['f32', 'f16', 'q8_0', 'q4_0'] as ExportType[])(
    'written at %s, read back, gives the fixture logits within the bound',
    async (type) => {
      const file = join(root, `${arch}-${type}.gguf`)
      exportGguf(dir(), file, type)
      const model = await loadModel(file, {
        executionProvider: 'cpu',
        cacheDir: join(root, 'cache'),
      })
      try {
        expect(model.info.vocabSize).toBe(reference[0].length)
        const got = await model.logits(ids)
        const diff = maxDiff(got, reference)
        const scale = maxDiff(
          reference,
          reference.map((r) => r.map(() => 0)),
        )
        console.log(`[gguf in] ${arch} ${type}: max |Δlogit| ${diff.toExponential(2)} of ${scale}`)
        expect(diff).toBeLessThan(bounds[type] * scale)
      } finally {
        await model.dispose()
      }
    },
  )

  it('turns the vocabulary back into a tokenizer that encodes as the fixture does', async () => {
    const file = join(root, `${arch}-f32.gguf`)
    const gguf = await loadModel(file, { executionProvider: 'cpu', cacheDir: join(root, 'cache') })
    const hf = await loadModel(dir(), { executionProvider: 'cpu', cacheDir: join(root, 'cache') })
    try {
      for (const text of ['Hello, world!', '  spaced\n\nlines', 'naïve café 123456', '日本語 🙂']) {
        expect(gguf.tokenizer.encode(text)).toEqual(hf.tokenizer.encode(text))
        const ids = hf.tokenizer.encode(text, { addSpecialTokens: false })
        expect(gguf.tokenizer.decode(ids)).toBe(hf.tokenizer.decode(ids))
      }
      expect(gguf.info.eosTokenIds).toEqual(expect.arrayContaining(hf.info.eosTokenIds.slice(0, 1)))
      expect(gguf.info.hasChatTemplate).toBe(hf.info.hasChatTemplate)
    } finally {
      await gguf.dispose()
      await hf.dispose()
    }
  })

  it("reads every tensor back under its HF name, layout undone, within its type's step", () => {
    const hf = new SafetensorsWeights(dir())
    for (const type of ['f32', 'q8_0', 'q4_0'] as ExportType[]) {
      const { weights } = readGgufModel(join(root, `${arch}-${type}.gguf`))
      for (const name of weights.names()) {
        // The fixture's GPT-2 keeps GPT2LMHeadModel's transformer. prefix; both load.
        const hfName = hf.has(name) ? name : `transformer.${name}`
        const [a, b] = [weights.f32(name), hf.f32(hfName)]
        expect(weights.entry(name).shape).toEqual(hf.entry(hfName).shape)
        let amax = 0
        let err = 0
        for (let i = 0; i < a.length; i++) {
          amax = Math.max(amax, Math.abs(b[i]))
          err = Math.max(err, Math.abs(a[i] - b[i]))
        }
        // Per block: half of q8_0's step d = amax/127, and the top-clamped q4_0 code within
        // |d| = amax/8; d itself is stored as f16, which moves the largest codes by up to
        // 127·2⁻¹¹·d (q8_0) or 8·2⁻¹¹·d (q4_0). The tensor's amax bounds every block's.
        const step =
          type === 'f32'
            ? 0
            : type === 'q8_0'
              ? (amax / 127) * (0.5 + 127 / 2048)
              : (amax / 8) * (1 + 8 / 2048)
        if (err > step * 1.001 + 1e-7) throw new Error(`${type} ${name}: error ${err} > ${step}`)
      }
    }
  })

  it('maps every tensor back to its HF name and reports the path each took', () => {
    const model = readGgufModel(join(root, `${arch}-q8_0.gguf`))
    const report = model.weights.report()
    expect(report.length).toBeGreaterThan(5)
    expect(report.some((t) => t.type === 'Q8_0')).toBe(true)
    expect(report.every((t) => t.path === 'f32')).toBe(true)
  })
})

describe.each(['llama3', 'qwen3'] as const)('GGUF in: the real %s tokenizer', (tokenizer) => {
  it('encodes sample texts and renders the chat template as the tokenizer package does', async () => {
    const dir = join(root, `real-${tokenizer}`)
    await writeFixtureModel(dir, { arch: tokenizer === 'llama3' ? 'llama' : 'qwen2', tokenizer })
    const file = join(root, `real-${tokenizer}.gguf`)
    exportGguf(dir, file, 'f32')
    const fromGguf = readGgufModel(file)
    const gguf = new HfTextTokenizer(fromGguf.tokenizerJson, fromGguf.tokenizerConfig)
    const hf = new HfTextTokenizer(
      JSON.parse(readFileSync(join(dir, 'tokenizer.json'), 'utf8')),
      JSON.parse(readFileSync(join(dir, 'tokenizer_config.json'), 'utf8')),
    )
    const samples = [
      'The quick brown fox jumps over the lazy dog.',
      '我们今天去公园散步，好吗？',
      'function add(a, b) {\n  return a + b; // 42\n}\n',
      'Emoji 🙂🚀 and café naïve — ½ 1234567',
      '<|im_start|>user hi<|im_end|> <|eot_id|>',
    ]
    for (const text of samples) {
      expect(gguf.encode(text)).toEqual(hf.encode(text))
      expect(gguf.encode(text, { addSpecialTokens: false })).toEqual(
        hf.encode(text, { addSpecialTokens: false }),
      )
      const ids = hf.encode(text)
      expect(gguf.decode(ids)).toBe(hf.decode(ids))
    }
    const messages = [
      { role: 'system' as const, content: 'Be brief.' },
      { role: 'user' as const, content: 'Hi!' },
      { role: 'assistant' as const, content: 'Hello.' },
      { role: 'user' as const, content: 'Bye?' },
    ]
    const chat = (config: Record<string, unknown>) =>
      new ChatRenderer(config).render(messages, { addGenerationPrompt: true })
    expect(chat(fromGguf.tokenizerConfig)).toBe(
      chat(JSON.parse(readFileSync(join(dir, 'tokenizer_config.json'), 'utf8'))),
    )
  })
})

describe('GGUF in: a Q4_K_M-style mix', () => {
  it('runs a file of Q4_K and Q6_K tensors and stays near its f32 logits', async () => {
    // K-quants need rows of 256, so this model is wider than the fixtures: written in memory.
    const tok = byteLevelTokenizer('llama')
    const [h, ff, layers, vocab] = [256, 512, 2, tok.vocabSize]
    const config = {
      model_type: 'llama',
      hidden_size: h,
      intermediate_size: ff,
      num_hidden_layers: layers,
      num_attention_heads: 4,
      num_key_value_heads: 2,
      rms_norm_eps: 1e-5,
      rope_theta: 10000,
      max_position_embeddings: 128,
      vocab_size: vocab,
      tie_word_embeddings: false,
      bos_token_id: tok.bosTokenId,
      eos_token_id: tok.eosTokenIds,
    }
    const rand = seededRandom(5)
    const tensors = new Map<string, { shape: number[]; data: Float32Array }>()
    const add = (name: string, shape: number[], norm = false) => {
      const data = new Float32Array(shape.reduce((a, b) => a * b, 1))
      for (let i = 0; i < data.length; i++) data[i] = (norm ? 1 : 0) + (rand() - 0.5) * 0.15
      tensors.set(name, { shape, data })
    }
    add('model.embed_tokens.weight', [vocab, h])
    add('lm_head.weight', [vocab, h])
    add('model.norm.weight', [h], true)
    for (let i = 0; i < layers; i++) {
      const p = `model.layers.${i}.`
      add(`${p}input_layernorm.weight`, [h], true)
      add(`${p}post_attention_layernorm.weight`, [h], true)
      add(`${p}self_attn.q_proj.weight`, [h, h])
      add(`${p}self_attn.k_proj.weight`, [h / 2, h])
      add(`${p}self_attn.v_proj.weight`, [h / 2, h])
      add(`${p}self_attn.o_proj.weight`, [h, h])
      add(`${p}mlp.gate_proj.weight`, [ff, h])
      add(`${p}mlp.up_proj.weight`, [ff, h])
      add(`${p}mlp.down_proj.weight`, [h, ff])
    }
    const source: HfModelSource = {
      config,
      shapes: new Map([...tensors].map(([n, t]) => [n, t.shape])),
      read: (n) => tensors.get(n)!.data,
      tokenizer: tok.tokenizer as unknown as HfTokenizerJson,
      tokenizerConfig: tok.config,
    }
    const f32 = hfToGguf(source, 'f32')
    const mix = q4KMMix(f32)
    const paths = { f32: join(root, 'wide-f32.gguf'), mix: join(root, 'wide-q4_k_m.gguf') }
    writeFileSync(paths.f32, Buffer.concat([...ggufChunks(f32)]))
    writeFileSync(paths.mix, Buffer.concat([...ggufChunks(mix)]))
    const report = readGgufModel(paths.mix).weights.report()
    const byType = (type: string) => report.filter((t) => t.type === type).map((t) => t.gguf)
    expect(byType('Q6_K').sort()).toEqual([
      'blk.0.attn_v.weight',
      'blk.0.ffn_down.weight',
      'blk.1.attn_v.weight',
      'blk.1.ffn_down.weight',
      'output.weight',
    ])
    expect(byType('Q4_K')).toHaveLength(1 + 5 * layers)
    const logitsOf = async (path: string) => {
      const model = await loadModel(path, {
        executionProvider: 'cpu',
        cacheDir: join(root, 'cache'),
      })
      try {
        return await model.logits(ids)
      } finally {
        await model.dispose()
      }
    }
    const [exact, mixed] = [await logitsOf(paths.f32), await logitsOf(paths.mix)]
    const scale = maxDiff(
      exact,
      exact.map((r) => r.map(() => 0)),
    )
    const diff = maxDiff(mixed, exact)
    console.log(`[gguf in] Q4_K_M-style mix: max |Δlogit| ${diff.toExponential(2)} of ${scale}`)
    // Q4_K's 15 steps per sub-block of 32 are finer than q4_0's (own min, 6-bit scales), and
    // the head is Q6_K: measured 0.13 of the scale where q4_0 files measured up to 0.37.
    expect(diff).toBeLessThan(0.25 * scale)
    expect(diff).toBeGreaterThan(0)

    // The layer matrices run from the file's own K-quant blocks: the logits of the same
    // values expanded to f32, up to the int8 activations of Q6_K's 8-bit blocks (level 4).
    const asF32 = join(root, 'wide-q4_k_m-as-f32.gguf')
    const expanded = mix.tensors.map((t) => {
      if (t.type === GgmlType.F32) return t
      const values = dequantize(
        t.type,
        t.encode(),
        t.dims.reduce((a, b) => a * b, 1),
      )
      return { ...t, type: GgmlType.F32, encode: () => new Uint8Array(values.buffer) }
    })
    writeFileSync(asF32, Buffer.concat([...ggufChunks({ ...mix, tensors: expanded })]))
    const model = await loadModel(paths.mix, {
      executionProvider: 'cpu',
      cacheDir: join(root, 'cache'),
    })
    try {
      const paths = model.info.ggufTensors ?? []
      const asBlocks = paths.filter((t) => t.path === 'blocks').map((t) => t.gguf)
      expect(asBlocks).toHaveLength(7 * layers + 1)
      expect(asBlocks.filter((n) => !n.startsWith('blk.'))).toEqual(['output.weight'])
    } finally {
      await model.dispose()
    }
    const blocksDiff = maxDiff(mixed, await logitsOf(asF32))
    console.log(`[gguf in] Q4_K_M-style mix as blocks vs as f32: ${blocksDiff.toExponential(2)}`)
    expect(blocksDiff).toBeLessThan(4e-2 * scale)
  })
})

describe.each(['llama', 'qwen2'] as FixtureArch[])('GGUF in: stored blocks (%s)', (arch) => {
  it.each(['q8_0', 'q4_0'] as const)(
    '%s matrices run as MatMulNBits blocks and give the logits of their dequantized values (q4_0) or near them (q8_0, int8 activations)',
    async (type) => {
      const dir = join(root, `blocks-${arch}`)
      await writeFixtureModel(dir, { arch, numKvHeads: 2 })
      const quantized = join(root, `blocks-${arch}-${type}.gguf`)
      exportGguf(dir, quantized, type)
      // The same values as f32: every matrix the q4_0/q8_0 export quantizes, rounded through
      // its blocks (rows are quantized independently, so before or after the Q/K
      // permutation is the same).
      const source = openHfModel(dir)
      const roundTrip =
        type === 'q8_0' ? [quantizeQ8_0, dequantizeQ8_0] : [quantizeQ4_0, dequantizeQ4_0]
      const read = source.read
      const dequantized: HfModelSource = {
        ...source,
        read: (name) => {
          const x = read(name)
          if (source.shapes.get(name)!.length < 2) return x
          return (roundTrip[1] as (b: Uint8Array) => Float32Array)(
            (roundTrip[0] as (x: Float32Array) => Uint8Array)(x),
          )
        },
      }
      const plain = join(root, `blocks-${arch}-${type}-as-f32.gguf`)
      writeFileSync(plain, Buffer.concat([...ggufChunks(hfToGguf(dequantized, 'f32'))]))
      const open = (path: string) =>
        loadModel(path, { executionProvider: 'cpu', cacheDir: join(root, 'cache') })
      const [a, b] = [await open(quantized), await open(plain)]
      try {
        const [la, lb] = [await a.logits(ids), await b.logits(ids)]
        const scale = maxDiff(
          lb,
          lb.map((r) => r.map(() => 0)),
        )
        const diff = maxDiff(la, lb)
        console.log(`[gguf in] ${arch} ${type} blocks vs dequantized: ${diff.toExponential(2)}`)
        // q4_0: same values; only the kernels' summation order could differ (float32
        // rounding). q8_0 runs at accuracy level 4 (arch/common.ts, nBits: ort has no fast
        // 8-bit kernel with float activations), so activations are rounded to int8 per block
        // of 32 as llama.cpp does for q8_0: one more step of amax/254, measured 1.7–2.5 %
        expect(diff).toBeLessThan((type === 'q8_0' ? 4e-2 : 1e-5) * scale + 1e-6)
        const tensors = a.info.ggufTensors ?? []
        const blocks = tensors.filter((t) => t.path === 'blocks').map((t) => t.gguf)
        // Every layer matrix (q, k, v, o, gate, up, down) of both layers and the head (in
        // a tied file the embedding's tensor, whose lookup still reads it as float32).
        const head = arch === 'qwen2' ? 'token_embd.weight' : 'output.weight'
        expect(blocks).toHaveLength(15)
        expect(blocks.filter((n) => !n.startsWith('blk.'))).toEqual([head])
        expect(b.info.ggufTensors?.every((t) => t.path === 'f32')).toBe(true)
      } finally {
        await a.dispose()
        await b.dispose()
      }
    },
  )
})
