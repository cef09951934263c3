import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadModel, writeFixtureModel } from '../io'
import { SafetensorsWeights } from '../io/safetensors'
import { referenceForward, type ReferenceOutput } from '../reference/forward'
import { LOGIT_SUMMARY_K } from '../arch/logitsHead'
import type { FixtureOptions, LoadedModel } from './types'

const TEXT = 'The cat sat on the mat, and then it was the end of it.'

const VARIANTS: [string, FixtureOptions][] = [
  ['gpt2', { arch: 'gpt2', seed: 3 }],
  ['llama, GQA, tied', { arch: 'llama', numKvHeads: 2, tiedEmbeddings: true, seed: 4 }],
  ['llama, untied', { arch: 'llama', numKvHeads: 4, tiedEmbeddings: false, seed: 5 }],
  ['qwen2 with biases', { arch: 'qwen2', numKvHeads: 1, seed: 6 }],
  ['mistral', { arch: 'mistral', numKvHeads: 2, seed: 7 }],
  ['llama, attention and MLP biases', { arch: 'llama', numKvHeads: 2, biases: true, seed: 8 }],
  ['qwen3, q/k norms, head_dim apart from hidden', { arch: 'qwen3', numKvHeads: 2, seed: 9 }],
  ['smollm3, a NoPE layer', { arch: 'smollm3', numKvHeads: 2, seed: 13 }],
  ['phi3: packed projections, partial rotary, window', { arch: 'phi3', numKvHeads: 2, seed: 14 }],
  ['gemma3, a sliding and a full layer', { arch: 'gemma3', numKvHeads: 2, seed: 10 }],
  ['gemma3 with softcapping', { arch: 'gemma3', numKvHeads: 1, softcapping: true, seed: 12 }],
]

let root: string
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'glassbox-models-'))
})
afterAll(() => rmSync(root, { recursive: true, force: true }))

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length)
  let m = 0
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]))
  return m
}

describe.each(VARIANTS)('%s', (label, opts) => {
  let model: LoadedModel
  let ids: number[]
  let ref: ReferenceOutput
  const dir = () => join(root, label.replace(/[^a-z0-9]/gi, '_'))

  beforeAll(async () => {
    await writeFixtureModel(dir(), opts)
    model = await loadModel(dir(), { executionProvider: 'cpu', cacheDir: join(root, 'cache') })
    ids = model.tokenizer.encode(TEXT)
    const weights = new SafetensorsWeights(dir())
    const config = JSON.parse(readFileSync(join(dir(), 'config.json'), 'utf8'))
    ref = referenceForward(
      config,
      (n) => weights.f32(n),
      ids,
      (n) => weights.has(n),
    )
  })
  afterAll(() => model?.dispose())

  it('prefill logits equal the TypeScript reference within 1e-4', async () => {
    expect(ids.length).toBeGreaterThan(8)
    const logits = await model.logits(ids)
    expect(logits).toHaveLength(ids.length)
    for (let t = 0; t < ids.length; t++)
      expect(maxDiff(logits[t], ref.logits[t])).toBeLessThan(1e-4)
    const spread = Math.max(...ref.logits[0]) - Math.min(...ref.logits[0])
    expect(spread).toBeGreaterThan(0.5) // the fixture is far from uniform, so the check bites
  })

  it('token-by-token KV decode equals the reference and full recomputation', async () => {
    const full = await model.logits(ids)
    const s = model.newSession()
    const first = await s.prefill(ids.slice(0, 2))
    expect(maxDiff(first, ref.logits[1])).toBeLessThan(1e-4)
    for (let t = 2; t < ids.length; t++) {
      const l = await s.decode(ids[t])
      expect(maxDiff(l, ref.logits[t])).toBeLessThan(1e-4)
      expect(maxDiff(l, full[t])).toBeLessThan(1e-5)
    }
    expect(s.length).toBe(ids.length)
    // Regenerate: drop the last 3 positions, decode them again.
    s.truncate(ids.length - 3)
    expect(s.length).toBe(ids.length - 3)
    const again = await s.prefill(ids.slice(ids.length - 3))
    expect(maxDiff(again, full[ids.length - 1])).toBeLessThan(1e-5)
    await s.dispose()
  })

  it('a float16 cache decodes within its rounding of the float32 one, same greedy picks', async () => {
    const half = await loadModel(dir(), {
      executionProvider: 'cpu',
      cacheDir: join(root, 'cache'),
      kvCache: 'float16',
    })
    const full = await model.logits(ids)
    const s = half.newSession()
    let worst = maxDiff(await s.prefill(ids.slice(0, 2)), full[1])
    const argmax = (l: Float32Array) => l.indexOf(Math.max(...l))
    for (let t = 2; t < ids.length; t++) {
      const l = await s.decode(ids[t])
      worst = Math.max(worst, maxDiff(l, full[t]))
      expect(argmax(l)).toBe(argmax(full[t]))
    }
    // Cached K/V rounded to 11 significant bits: a change, but far below the logits' spread.
    expect(worst).toBeGreaterThan(0)
    expect(worst).toBeLessThan(2e-2)
    await Promise.all([s.dispose(), half.dispose()])
  })

  it('a prompt prefilled in chunks gives the logits of one run', async () => {
    const chunked = await loadModel(dir(), {
      executionProvider: 'cpu',
      cacheDir: join(root, 'cache'),
      prefillChunk: 4,
    })
    const whole = model.newSession()
    const parts = chunked.newSession()
    expect(ids.length).toBeGreaterThan(8)
    expect(maxDiff(await parts.prefill(ids), await whole.prefill(ids))).toBeLessThan(1e-5)
    expect(parts.length).toBe(ids.length)
    expect(maxDiff(await parts.decode(ids[0]), await whole.decode(ids[0]))).toBeLessThan(1e-5)
    await Promise.all([whole.dispose(), parts.dispose(), chunked.dispose()])
  })

  it('a long decode grows the KV buffers and still equals full recomputation', async () => {
    const long = Array.from({ length: 90 }, (_, i) => ids[i % ids.length])
    const full = await model.logits(long)
    const s = model.newSession()
    await s.prefill(long.slice(0, 50))
    let worst = 0
    for (let t = 50; t < long.length; t++)
      worst = Math.max(worst, maxDiff(await s.decode(long[t]), full[t]))
    expect(worst).toBeLessThan(1e-4)
    // Truncating below a commit step releases rows; the ones written again read the same.
    s.truncate(20)
    expect(maxDiff(await s.prefill(long.slice(20)), full[long.length - 1])).toBeLessThan(1e-5)
    s.truncate(0)
    expect(maxDiff(await s.prefill(long), full[long.length - 1])).toBeLessThan(1e-5)
    await s.dispose()
  })

  it('each step carries the graph’s summary: the largest logits, best first, and log Σ exp', async () => {
    const s = model.newSession()
    const steps = [await s.prefill(ids.slice(0, 5)), await s.decode(ids[5])]
    for (const logits of steps) {
      const summary = logits.summary!
      const k = Math.min(LOGIT_SUMMARY_K, logits.length)
      const byRank = Array.from(logits.keys()).sort((a, b) => logits[b] - logits[a] || a - b)
      expect(Array.from(summary.topIds)).toEqual(byRank.slice(0, k))
      expect(Array.from(summary.topLogits)).toEqual(Array.from(summary.topIds, (i) => logits[i]))
      let sum = 0
      for (const l of logits) sum += Math.exp(l - summary.topLogits[0])
      expect(summary.logSumExp).toBeCloseTo(summary.topLogits[0] + Math.log(sum), 5)
    }
    await s.dispose()
  })

  it('insides: causal attention rows summing to 1, hidden states, logit lens', async () => {
    const ins = await model.insides(ids)
    const T = ids.length
    const H = ins.numHeads
    expect(ins.attentions).toHaveLength(model.info.numLayers)
    expect(ins.hidden).toHaveLength(model.info.numLayers + 1)
    for (const [l, a] of ins.attentions.entries()) {
      expect(a.length).toBe(H * T * T)
      for (let h = 0; h < H; h++) {
        for (let i = 0; i < T; i++) {
          let sum = 0
          for (let j = 0; j < T; j++) {
            const p = a[(h * T + i) * T + j]
            if (j > i) expect(p).toBe(0)
            sum += p
          }
          expect(Math.abs(sum - 1)).toBeLessThan(1e-5)
        }
      }
      expect(maxDiff(a, ref.attentions[l])).toBeLessThan(1e-4)
    }
    for (const [l, hs] of ins.hidden.entries())
      expect(maxDiff(hs, ref.hidden[l])).toBeLessThan(1e-4)
    const lens = model.finalNormAndHead(ins.hidden[model.info.numLayers])
    const V = model.info.vocabSize
    for (let t = 0; t < T; t++)
      expect(maxDiff(lens.subarray(t * V, (t + 1) * V), ins.logits[t])).toBeLessThan(1e-4)
    expect(model.embeddingMatrix().length).toBe(V * model.info.hiddenSize)
  })
})

describe('the KV cache type by default', () => {
  it('is float16 for quantized weights, float32 for float32 ones', async () => {
    const dir = join(root, 'kv-default')
    await writeFixtureModel(dir, { arch: 'llama', numKvHeads: 2, seed: 15 })
    const cacheDir = join(root, 'cache')
    const steps = async (opts: Parameters<typeof loadModel>[1]) => {
      const m = await loadModel(dir, { executionProvider: 'cpu', cacheDir, ...opts })
      const ids = m.tokenizer.encode(TEXT)
      const s = m.newSession()
      const out = [await s.prefill(ids.slice(0, 2))]
      for (const id of ids.slice(2)) out.push(await s.decode(id))
      await Promise.all([s.dispose(), m.dispose()])
      return out
    }
    const worst = (a: Float32Array[], b: Float32Array[]) =>
      Math.max(...a.map((row, t) => maxDiff(row, b[t])))
    const int8 = await steps({ quantization: 'int8' })
    expect(worst(int8, await steps({ quantization: 'int8', kvCache: 'float16' }))).toBe(0)
    expect(worst(int8, await steps({ quantization: 'int8', kvCache: 'float32' }))).toBeGreaterThan(
      0,
    )
    const f32 = await steps({})
    expect(worst(f32, await steps({ kvCache: 'float32' }))).toBe(0)
    expect(worst(f32, await steps({ kvCache: 'float16' }))).toBeGreaterThan(0)
  })
})
