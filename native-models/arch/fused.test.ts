import { describe, expect, it } from 'vitest'
import { randomModel } from '../fixture/randomModel'
import type { FixtureOptions } from '../runtime/types'
import { MemoryWeights, buildInferenceGraph, parseConfig, type GraphQuantization } from './index'

// Shape checks of the fused decode graph; its numbers are checked against the reference
// in runtime/model.test.ts.

function graphs(o: FixtureOptions, quantization: GraphQuantization, layers?: number) {
  const { config, tensors } = randomModel(o, { vocabSize: 300, eosTokenIds: [0] })
  // Fewer layers than the fixture has: the graph simply leaves the last layers' tensors out.
  const layerKey = o.arch === 'gpt2' ? 'n_layer' : 'num_hidden_layers'
  const cfg = parseConfig(layers ? { ...config, [layerKey]: layers } : config)
  const weights = new MemoryWeights(
    new Map(tensors.map((t) => [t.name, { shape: t.shape, data: t.data }])),
  )
  const opts = { quantization, accuracyLevel: 4, fused: true }
  return {
    cfg,
    plain: buildInferenceGraph(cfg, weights, opts).b,
    insides: buildInferenceGraph(cfg, weights, { ...opts, insides: true }).b,
  }
}

describe.each([
  ['llama', { arch: 'llama', numKvHeads: 2, biases: true }],
  ['gpt2', { arch: 'gpt2' }],
] as const)('fused %s decode graph', (_, o) => {
  it.each(['none', 'int4'] as const)('%s: about ten nodes per layer', (q) => {
    // Identity nodes only rename outputs; ort removes them.
    const compute = (layers: number) =>
      graphs(o, q, layers).plain.nodes.filter((n) => n.opType !== 'Identity').length
    // The unfused graph has about fifty; biases add one Add each to f32 products.
    expect(compute(2) - compute(1)).toBeLessThanOrEqual(q === 'none' ? 13 : 11)
    const { plain } = graphs(o, q)
    const ops = new Set(plain.nodes.map((n) => n.opType))
    for (const unfused of ['ReduceMean', 'Sqrt', 'Reciprocal', 'Concat', 'Transpose', 'Softmax'])
      expect(ops.has(unfused)).toBe(false)
  })

  it.each(['none', 'int8'] as const)(
    '%s: the insides variant reads the plain variant’s weight initializers',
    (q) => {
      // The cache writes weights.bin for the plain graph; the insides graph references it
      // by initializer name and embeds anything else, so every large initializer must match.
      const { plain, insides } = graphs(o, q)
      const placed = new Map(plain.initializers.map((i) => [i.name, i.data.byteLength]))
      const embedded = insides.initializers.filter(
        (i) => i.data.byteLength >= 1024 && placed.get(i.name) !== i.data.byteLength,
      )
      expect(embedded.map((i) => i.name)).toEqual([])
    },
  )
})
