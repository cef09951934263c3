import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import {
  loadModel,
  readModelFolder,
  SafetensorsWeights,
  writeFixtureModel,
} from '../../native-models/io'
import { feedForwardLayer } from '../../native-models/learn/feedForward'
import { Word2VecSettings, type Word2VecProgress } from '../contract/learnViews'
import { importProjectorTsv } from '../services/space/tsvImport'
import type { ModelHost } from './engineMethods'
import { analyzeFeedForward, learnComputeHandlers, shippedCorpusPath } from './learnMethods'

// The feed-forward view against the weights themselves: for each neuron the view lists, the
// promoted tokens must be the top of E·(a_i·w_i) computed here from the safetensors file, and the
// activations the view ranks must rebuild the block's real output (the residual after the
// layer minus the residual after attention, from the model's own insides graph).

const roots: string[] = []
afterAll(() => roots.forEach((r) => fs.rmSync(r, { recursive: true, force: true })))

/** Top-k of E·v by a plain loop over the file's tensors (ties: smaller id first). */
function directTop(e: Float32Array, v: Float32Array, k: number): number[] {
  const h = v.length
  const scores = Array.from({ length: e.length / h }, (_, t) => {
    let s = 0
    for (let i = 0; i < h; i++) s += e[t * h + i] * v[i]
    return { t, s }
  })
  return scores
    .sort((a, b) => b.s - a.s || a.t - b.t)
    .slice(0, k)
    .map((x) => x.t)
}

describe.each(['llama', 'gpt2', 'phi3', 'qwen3', 'gemma3'] as const)(
  'feed-forward view (%s fixture)',
  (arch) => {
    it('promotes the tokens the weights say, and its activations rebuild the block', async () => {
      const root = fs.mkdtempSync(path.join(os.tmpdir(), `glassbox-ffn-${arch}-`))
      roots.push(root)
      const dir = path.join(root, 'model')
      await writeFixtureModel(dir, { arch, seed: 5 })
      const loaded = await loadModel(dir)
      try {
        const folder = readModelFolder(dir)
        const layer = folder.cfg.numLayers - 1
        const text = 'the cat sat on the mat'
        const result = await analyzeFeedForward(loaded, folder, 'fixture', {
          text,
          layer,
          neurons: 6,
          tokens: 5,
        })
        expect(result.neurons).toHaveLength(6)
        expect(result.position).toBe(result.tokens.length - 1)
        expect(result.layerNorms).toHaveLength(folder.cfg.numLayers)

        const file = new SafetensorsWeights(dir)
        const h = folder.cfg.hiddenSize
        const n = folder.cfg.intermediateSize
        const tied = !file.has('lm_head.weight')
        const e =
          arch === 'gpt2'
            ? file.f32(file.has('transformer.wte.weight') ? 'transformer.wte.weight' : 'wte.weight')
            : file.f32(tied ? 'model.embed_tokens.weight' : 'lm_head.weight')
        const pre = file.has('transformer.h.0.mlp.c_proj.weight') ? 'transformer.' : ''
        const down =
          arch === 'gpt2'
            ? file.f32(`${pre}h.${layer}.mlp.c_proj.weight`)
            : file.f32(`model.layers.${layer}.mlp.down_proj.weight`)
        const outputVector = (i: number) =>
          arch === 'gpt2'
            ? down.slice(i * h, (i + 1) * h)
            : Float32Array.from({ length: h }, (_, r) => down[r * n + i])
        // The activations the view uses, checked first: Σ a_i·w_i (+ the output bias), with w_i
        // read from the file, must be what the block added to the residual stream.
        const ids = loaded.tokenizer.encode(text)
        const ins = await loaded.insides(ids)
        const p = ids.length - 1
        const mid = ins.postAttention![layer].subarray(p * h, (p + 1) * h)
        const after = ins.hidden[layer + 1].subarray(p * h, (p + 1) * h)
        const a = feedForwardLayer(folder.cfg, file, layer).activations(mid)
        const bias = arch === 'gpt2' ? file.f32(`${pre}h.${layer}.mlp.c_proj.bias`) : undefined
        const rebuilt = Float32Array.from({ length: h }, (_, r) => bias?.[r] ?? 0)
        for (let i = 0; i < n; i++) {
          const w = outputVector(i)
          for (let r = 0; r < h; r++) rebuilt[r] += a[i] * w[r]
        }
        // Gemma RMS-normalizes the block's output (by 1 + g) before adding it.
        const post = folder.cfg.sandwichNorms
          ? file.f32(`model.layers.${layer}.post_feedforward_layernorm.weight`)
          : null
        const rms = Math.sqrt(rebuilt.reduce((q, x) => q + x * x, 0) / h + folder.cfg.normEps)
        const outScale = (r: number) => (post ? (1 + post[r]) / rms : 1)
        for (let r = 0; r < h; r++) rebuilt[r] *= outScale(r)
        const scale = Math.max(...Array.from(after, (x, r) => Math.abs(x - mid[r])))
        for (let r = 0; r < h; r++) {
          expect(Math.abs(rebuilt[r] - (after[r] - mid[r]))).toBeLessThan(1e-3 * scale + 1e-4)
        }

        // The neurons listed are the largest |a_i|·|w_i|, and each promotes the top of E·(a_i·w_i).
        const norm = (v: Float32Array) => Math.hypot(...v)
        const effective = (i: number) => outputVector(i).map((x, r) => x * outScale(r))
        const ranked = Array.from({ length: n }, (_, i) => Math.abs(a[i]) * norm(effective(i)))
        const top = ranked
          .map((c, i) => ({ c, i }))
          .sort((x, y) => y.c - x.c || x.i - y.i)
          .slice(0, 6)
          .map((x) => x.i)
        expect(result.neurons.map((x) => x.index)).toEqual(top)
        for (const neuron of result.neurons) {
          expect(neuron.activation).toBeCloseTo(a[neuron.index], 4)
          expect(neuron.contribution).toBeCloseTo(ranked[neuron.index], 4)
          const pushed = effective(neuron.index).map((x) => x * a[neuron.index])
          const promoted = neuron.promoted.map((q) => q.id)
          expect(promoted).toEqual(directTop(e, pushed, 5))
          expect(neuron.promoted[0].token).toBe(
            loaded.tokenizer.decode([promoted[0]], { skipSpecialTokens: false }),
          )
        }
        expect(result.layerNorms[layer]).toBeCloseTo(Math.hypot(...rebuilt), 3)
      } finally {
        await loaded.dispose()
      }
    }, 30_000)
  },
)

describe('word2vec.train in the compute child', () => {
  it('streams every step once, ends with the vectors, and saves a Space source', async () => {
    const saveDir = fs.mkdtempSync(path.join(os.tmpdir(), 'glassbox-w2v-'))
    roots.push(saveDir)
    const handlers = learnComputeHandlers({} as ModelHost)
    const events: Word2VecProgress[] = []
    const settings = Word2VecSettings.parse({ corpus: 'shipped', steps: 30, dims: 8 })
    const result = await handlers['word2vec.train'](
      { runId: 4, settings, saveDir },
      { emit: (e) => void events.push(e), signal: new AbortController().signal },
    )
    expect(result.steps).toBe(30)
    expect(result.textWords).toBeGreaterThan(30_000)
    // The steps arrive in order, each once, and their losses are the result's.
    const streamed = events.flatMap((e) => e.losses)
    expect(streamed).toEqual(result.losses)
    expect(events.map((e) => e.fromStep)[0]).toBe(1)
    const shown = events[0].shown.split('\n')
    expect(shown.length).toBeGreaterThan(50)
    expect(Buffer.from(events.at(-1)!.points, 'base64').length).toBe(shown.length * 3 * 4)
    const words = result.words.split('\n')
    const space = await importProjectorTsv(result.saved.vectorsPath, result.saved.metadataPath)
    expect(space.labels).toEqual(words)
    expect(space.dims).toBe(8)
    const vectors = new Float32Array(Buffer.from(result.vectors, 'base64').buffer.slice(0))
    expect(space.vectors[9]).toBeCloseTo(vectors[9], 4)
  })

  it('stops when cancelled and answers with the steps it made', async () => {
    const saveDir = fs.mkdtempSync(path.join(os.tmpdir(), 'glassbox-w2v-'))
    roots.push(saveDir)
    const controller = new AbortController()
    const settings = Word2VecSettings.parse({ corpus: 'shipped', steps: 5000, dims: 8 })
    const result = await learnComputeHandlers({} as ModelHost)['word2vec.train'](
      { runId: 5, settings, saveDir },
      {
        emit: (e) => e.fromStep + e.losses.length > 10 && controller.abort(),
        signal: controller.signal,
      },
    )
    expect(result.stopped).toBe(true)
    expect(result.steps).toBeLessThan(5000)
  })
})

describe('learn views: errors and the shipped corpus', () => {
  it('finds the shipped corpus from the source tree', () => {
    expect(fs.statSync(shippedCorpusPath()).size).toBeGreaterThan(100_000)
  })

  it('refuses a layer the model does not have, naming its layers', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'glassbox-ffn-bad-'))
    roots.push(root)
    await writeFixtureModel(root, { arch: 'llama', seed: 5 })
    const loaded = await loadModel(root)
    try {
      const folder = readModelFolder(root)
      await expect(
        analyzeFeedForward(loaded, folder, 'fixture', {
          text: 'hi',
          layer: 99,
          neurons: 1,
          tokens: 1,
        }),
      ).rejects.toMatchObject({ code: 'bad_request', message: expect.stringMatching(/layers 0–/) })
    } finally {
      await loaded.dispose()
    }
  })
})
