import { describe, expect, it } from 'vitest'
import { randomModel } from '../fixture/randomModel'
import type { FixtureOptions } from '../runtime/types'
import {
  IO,
  MemoryWeights,
  buildInferenceGraph,
  parseConfig,
  type GraphQuantization,
} from './index'

// Shape checks of the fused decode graph; its numbers are checked against the reference
// in runtime/model.test.ts.

function graphs(
  o: FixtureOptions,
  quantization: GraphQuantization,
  layers?: number,
  fused = true,
  embedsIn = false,
) {
  const { config, tensors } = randomModel(o, { vocabSize: 300, eosTokenIds: [0] })
  // Fewer layers than the fixture has: the graph simply leaves the last layers' tensors out.
  const layerKey = o.arch === 'gpt2' ? 'n_layer' : 'num_hidden_layers'
  const types = config.layer_types as string[] | undefined
  const fewer = { [layerKey]: layers, ...(types ? { layer_types: types.slice(0, layers) } : {}) }
  const cfg = parseConfig(layers ? { ...config, ...fewer } : config)
  const weights = new MemoryWeights(
    new Map(tensors.map((t) => [t.name, { shape: t.shape, data: t.data }])),
  )
  const opts = { quantization, accuracyLevel: 4, fused, embedsIn }
  return {
    cfg,
    plain: buildInferenceGraph(cfg, weights, opts).b,
    insides: buildInferenceGraph(cfg, weights, { ...opts, insides: true }).b,
  }
}

describe.each([
  ['llama', { arch: 'llama', numKvHeads: 2, biases: true }],
  ['gpt2', { arch: 'gpt2' }],
  ['qwen3', { arch: 'qwen3', numKvHeads: 2 }],
  // Softcapping off: cap·tanh(x / cap) needs its Tanh, which the check below forbids.
  ['gemma3', { arch: 'gemma3', numKvHeads: 2 }],
  ['phi3', { arch: 'phi3', numKvHeads: 2 }],
  ['smollm3', { arch: 'smollm3', numKvHeads: 2 }],
] as const)('fused %s decode graph', (_, o) => {
  it.each(['none', 'int4'] as const)('%s: under half the unfused graph’s nodes per layer', (q) => {
    // SmolLM3's fixture's second layer, the one this counts, is NoPE: its unfused form lacks
    // the rotary nodes, so the ratio says nothing there.
    if (o.arch === 'smollm3') return
    // Identity nodes only rename outputs; ort removes them.
    const perLayer = (fused: boolean) => {
      const count = (layers: number) =>
        graphs(o, q, layers, fused).plain.nodes.filter((n) => n.opType !== 'Identity').length
      return count(2) - count(1)
    }
    // Measured: llama 29 against 66, GPT-2 22–23 against 29–33 (the unfused graph also
    // packs nothing, so its biases and products are one node each more; its GELU is one
    // FastGelu node too, as training graphs run it).
    expect(perLayer(true)).toBeLessThan(perLayer(false) * (o.arch === 'gpt2' ? 0.8 : 0.5))
    const { plain } = graphs(o, q)
    const ops = new Set(plain.nodes.map((n) => n.opType))
    for (const unfused of ['ReduceMean', 'Sqrt', 'Reciprocal', 'Pow', 'Erf', 'Tanh'])
      expect(ops.has(unfused)).toBe(false)
  })

  it('names each layer’s nodes by layer and projection, for the profiler', () => {
    const { cfg, plain } = graphs(o, 'int4')
    const names = plain.nodes.map((n) => n.name)
    expect(new Set(names).size).toBe(names.length)
    const products = plain.nodes.filter((n) => /^MatMul/.test(n.opType)).map((n) => n.name)
    const layer = o.arch === 'gpt2' ? 'h' : 'layers'
    for (let i = 0; i < cfg.numLayers; i++) {
      expect(products.some((n) => n.includes(`/${layer}.${i}/`) && /_proj\/|c_fc\//.test(n))).toBe(
        true,
      )
      expect(names.some((n) => n.includes(`/${layer}.${i}/attention/`))).toBe(true)
    }
  })

  it('reads the KV cache as inputs and returns only the new rows (and the logits)', () => {
    // A cache among the outputs would be copied by onnxruntime-node after every run.
    const { cfg, plain } = graphs(o, 'none')
    const outputs = [IO.logits, IO.newRows, IO.topLogits, IO.topIds, IO.logSumExp]
    expect(plain.outputs.map((v) => v.name).sort()).toEqual(outputs.sort())
    const cacheInputs = plain.inputs.filter((v) => v.name.startsWith('past_key_values.'))
    expect(cacheInputs).toHaveLength(2 * cfg.numLayers)
    for (const v of cacheInputs)
      expect(v.shape).toEqual(['cache_rows', cfg.numKvHeads, 1, cfg.headDim])
  })

  it.each([
    ['none', false],
    ['int8', false],
    ['none', true],
    ['int8', true],
  ] as const)(
    '%s (embeddings in: %s): the insides variant reads the plain variant’s weight initializers',
    (q, embedsIn) => {
      // The cache writes weights.bin for the plain graph; the insides graph references it
      // by initializer name and embeds anything else, so every large initializer must match.
      const { plain, insides } = graphs(o, q, undefined, true, embedsIn)
      const placed = new Map(plain.initializers.map((i) => [i.name, i.data.byteLength]))
      const embedded = insides.initializers.filter(
        (i) => i.data.byteLength >= 1024 && placed.get(i.name) !== i.data.byteLength,
      )
      expect(embedded.map((i) => i.name)).toEqual([])
    },
  )
})
