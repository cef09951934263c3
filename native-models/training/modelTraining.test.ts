import * as ort from 'onnxruntime-node'
import { describe, expect, it } from 'vitest'
import { MemoryWeights, parseConfig } from '../arch'
import { randomModel } from '../fixture/randomModel'
import { addLoraAdapters, DEFAULT_LORA_TARGETS } from './lora'
import { createSession } from './ortGraph'
import { Trainer } from './trainer'
import { trainableForward } from './modelTraining'
import { buildTrainingGraph, TRAIN_INPUTS } from './trainingGraph'

// The acceptance check: the whole training graph of each architecture has
// gradients equal to finite differences (float64, tiny fixtures).

function fixture(
  arch: 'gpt2' | 'llama' | 'qwen3' | 'gemma3' | 'smollm3' | 'phi3',
  tied: boolean,
  softcapping = false,
) {
  const { config, tensors } = randomModel(
    { arch, tiedEmbeddings: tied, seed: 5, softcapping },
    { vocabSize: 24, eosTokenIds: [0] },
  )
  const cfg = parseConfig({ ...config, vocab_size: 24 })
  const weights = new MemoryWeights(
    new Map(tensors.map((t) => [t.name, { shape: t.shape, data: t.data }])),
  )
  return trainableForward(cfg, weights)
}

describe('whole-architecture training graphs', () => {
  for (const [arch, tied] of [
    ['gpt2', true],
    ['llama', false],
    ['llama', true],
    ['qwen3', true],
    ['gemma3', true],
    ['smollm3', true],
    ['phi3', false],
  ] as const) {
    it(`${arch}${tied ? ' (tied embeddings)' : ''}: gradients match finite differences`, async () => {
      // Gemma with its softcaps on, so their tanh is differentiated too.
      const fwd = fixture(arch, tied, arch === 'gemma3')
      const B = 2
      // Longer than the Gemma and Phi-3 fixtures' sliding windows (6, 7), so the window
      // masks are crossed.
      const T = arch === 'gemma3' || arch === 'phi3' ? 8 : 4
      const graph = await buildTrainingGraph({
        forward: fwd.model,
        inputIds: 'input_ids',
        logits: 'logits',
        vocabSize: fwd.cfg.vocabSize,
        batch: B,
        seqLen: T,
        trainable: fwd.weights,
        fixedInputs: fwd.fixedInputs(B, T),
        mode: 'gradients',
        floatType: 11,
      })
      const session = await createSession(graph.model, { graphOptimizationLevel: 'disabled' })
      const row = [3, 7, 1, 9, 4, 4, 20, 2, 11, 5, 8, 17, 6, 1, 2, 3, 19]
      const ids = BigInt64Array.from(row.slice(0, B * T), BigInt)
      const targets = BigInt64Array.from(row.slice(1, B * T + 1), BigInt)
      const feeds = (params: Float64Array[]): Record<string, ort.Tensor> => ({
        input_ids: new ort.Tensor('int64', ids, [B, T]),
        [TRAIN_INPUTS.targets]: new ort.Tensor('int64', targets, [B, T]),
        [TRAIN_INPUTS.lossMask]: new ort.Tensor(
          'float64',
          Float64Array.from({ length: B * T }, (_, i) => (i === 5 ? 0 : 1)),
          [B, T],
        ),
        ...Object.fromEntries(
          fwd.weights.map((p, i) => [p, new ort.Tensor('float64', params[i], graph.shapes[i])]),
        ),
      })
      const base = graph.initial as Float64Array[]
      const out = await session.run(feeds(base))
      let worst = 0
      let checked = 0
      for (let i = 0; i < fwd.weights.length; i++) {
        const grad = out[graph.grads[i]].data as Float64Array
        for (const k of [0, Math.floor(base[i].length / 2), base[i].length - 1]) {
          const at = async (d: number): Promise<number> => {
            const p = base.map((a) => Float64Array.from(a))
            p[i][k] += d
            return Number((await session.run(feeds(p)))[TRAIN_INPUTS.loss].data[0])
          }
          const numeric = ((await at(1e-6)) - (await at(-1e-6))) / 2e-6
          worst = Math.max(worst, Math.abs(numeric - grad[k]) / Math.max(1e-4, Math.abs(numeric)))
          checked++
        }
      }
      expect(checked).toBe(3 * fwd.weights.length)
      expect(worst).toBeLessThan(1e-4)
      await session.release()
    })
  }
})

describe('LoRA on each architecture', () => {
  it.each(['qwen3', 'gemma3', 'smollm3', 'phi3'] as const)(
    '%s: a LoRA run lowers the loss',
    async (arch) => {
      const fwd = fixture(arch, true)
      const B = 2
      const T = 6
      const lora = addLoraAdapters(fwd.model, { rank: 4, alpha: 8, targets: DEFAULT_LORA_TARGETS })
      // Phi-3's packed checkpoint has four modules a layer (qkv_proj, o_proj, gate_up_proj,
      // down_proj), the others seven.
      expect(lora.modules.length).toBe((arch === 'phi3' ? 4 : 7) * fwd.cfg.numLayers)
      const trainer = await Trainer.create(
        await buildTrainingGraph({
          forward: lora.model,
          inputIds: 'input_ids',
          logits: 'logits',
          vocabSize: fwd.cfg.vocabSize,
          batch: B,
          seqLen: T,
          trainable: lora.trainable,
          fixedInputs: fwd.fixedInputs(B, T),
        }),
        'input_ids',
      )
      const row = [3, 7, 1, 9, 4, 20, 2]
      const batch = {
        inputIds: BigInt64Array.from([...row.slice(0, T), ...row.slice(0, T)], BigInt),
        targets: BigInt64Array.from([...row.slice(1), ...row.slice(1)], BigInt),
        lossMask: new Float32Array(B * T).fill(1),
        batch: B,
        seqLen: T,
      }
      const first = (await trainer.step([batch], 1e-2)).loss
      let last = first
      for (let s = 0; s < 30; s++) last = (await trainer.step([batch], 1e-2)).loss
      expect(last).toBeLessThan(first * 0.8)
      await trainer.release()
    },
  )
})
