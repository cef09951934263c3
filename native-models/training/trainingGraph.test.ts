import * as ort from 'onnxruntime-node'
import { describe, expect, it } from 'vitest'
import { DEFAULT_ADAMW } from './lossAndOptimizer'
import { createSession } from './ortGraph'
import { tinyLm } from './tinyLm.testing'
import { Trainer, type TokenBatch } from './trainer'
import { buildTrainingGraph, TRAIN_INPUTS } from './trainingGraph'

const B = 2
const T = 5
const ids = [1, 4, 2, 7, 3, 9, 9, 5, 0, 6]
const next = [4, 2, 7, 3, 8, 9, 5, 0, 6, 10]
const mask = [1, 1, 1, 1, 0, 1, 1, 1, 1, 1]

function batchOf(rows: number[], b = B): TokenBatch {
  const pick = (a: number[]): number[] => rows.flatMap((r) => a.slice(r * T, r * T + T))
  return {
    inputIds: BigInt64Array.from(pick(ids).map(BigInt)),
    targets: BigInt64Array.from(pick(next).map(BigInt)),
    lossMask: Float32Array.from(pick(mask)),
    batch: b,
    seqLen: T,
  }
}

describe('training graph', () => {
  it('has gradients equal to finite differences of its loss (float64, whole graph)', async () => {
    const { model, trainable } = tinyLm()
    const graph = await buildTrainingGraph({
      forward: model,
      inputIds: 'input_ids',
      logits: 'logits',
      vocabSize: 11,
      batch: B,
      seqLen: T,
      trainable,
      mode: 'gradients',
      floatType: 11,
    })
    const session = await createSession(graph.model, { graphOptimizationLevel: 'disabled' })
    const batch = batchOf([0, 1])
    const feeds = (params: Float64Array[]): Record<string, ort.Tensor> => ({
      input_ids: new ort.Tensor('int64', batch.inputIds, [B, T]),
      [TRAIN_INPUTS.targets]: new ort.Tensor('int64', batch.targets, [B, T]),
      [TRAIN_INPUTS.lossMask]: new ort.Tensor('float64', Float64Array.from(batch.lossMask), [B, T]),
      ...Object.fromEntries(
        trainable.map((p, i) => [p, new ort.Tensor('float64', params[i], graph.shapes[i])]),
      ),
    })
    const base = graph.initial as Float64Array[]
    const out = await session.run(feeds(base))
    const loss = Number(out[TRAIN_INPUTS.loss].data[0])
    expect(loss).toBeGreaterThan(1)
    let worst = 0
    for (let i = 0; i < trainable.length; i++) {
      const grad = out[graph.grads[i]].data as Float64Array
      for (const k of [0, 3, base[i].length - 1]) {
        const h = 1e-6
        const at = async (d: number): Promise<number> => {
          const p = base.map((a) => Float64Array.from(a))
          p[i][k] += d
          return Number((await session.run(feeds(p)))[TRAIN_INPUTS.loss].data[0])
        }
        const numeric = ((await at(h)) - (await at(-h))) / (2 * h)
        worst = Math.max(worst, Math.abs(numeric - grad[k]) / Math.max(1e-3, Math.abs(numeric)))
      }
    }
    expect(worst).toBeLessThan(1e-5)
    await session.release()
  })

  it('takes an AdamW step equal to the formula (bias-corrected, decoupled decay, clipping)', async () => {
    const { model, trainable } = tinyLm()
    const spec = {
      forward: model,
      inputIds: 'input_ids',
      logits: 'logits',
      vocabSize: 11,
      batch: B,
      seqLen: T,
      trainable,
    }
    const gradsGraph = await buildTrainingGraph({ ...spec, mode: 'gradients' })
    const session = await createSession(gradsGraph.model)
    const batch = batchOf([0, 1])
    const out = await session.run({
      input_ids: new ort.Tensor('int64', batch.inputIds, [B, T]),
      [TRAIN_INPUTS.targets]: new ort.Tensor('int64', batch.targets, [B, T]),
      [TRAIN_INPUTS.lossMask]: new ort.Tensor('float32', batch.lossMask, [B, T]),
      ...Object.fromEntries(
        trainable.map((p, i) => [
          p,
          new ort.Tensor('float32', gradsGraph.initial[i] as Float32Array, gradsGraph.shapes[i]),
        ]),
      ),
    })
    const grads = gradsGraph.grads.map((g) => out[g].data as Float32Array)
    const norm = Math.sqrt(grads.reduce((s, g) => s + g.reduce((a, x) => a + x * x, 0), 0))
    const clip = Math.min(1, DEFAULT_ADAMW.maxGradNorm / (norm + 1e-6))

    const trainer = await Trainer.create(await buildTrainingGraph(spec), 'input_ids')
    const lr = 0.01
    const r = await trainer.step([batch], lr)
    expect(r.gradNorm).toBeCloseTo(norm, 4)
    const { beta1, beta2, eps, weightDecay } = DEFAULT_ADAMW
    for (let i = 0; i < trainable.length; i++) {
      const p0 = gradsGraph.initial[i]
      const decay = gradsGraph.shapes[i].length >= 2 ? weightDecay : 0
      for (const k of [0, p0.length - 1]) {
        const g = grads[i][k] * clip
        const mHat = ((1 - beta1) * g) / (1 - beta1)
        const vHat = ((1 - beta2) * g * g) / (1 - beta2)
        const expected = p0[k] - lr * (mHat / (Math.sqrt(vHat) + eps) + decay * p0[k])
        expect(trainer.state.params[i][k]).toBeCloseTo(expected, 5)
      }
    }
    await trainer.release()
    await session.release()
  })

  it('lowers the loss, and accumulating two half batches equals one full batch', async () => {
    const { model, trainable } = tinyLm()
    const spec = {
      forward: model,
      inputIds: 'input_ids',
      logits: 'logits',
      vocabSize: 11,
      seqLen: T,
      trainable,
    }
    const full = await Trainer.create(await buildTrainingGraph({ ...spec, batch: 2 }), 'input_ids')
    const accumulated = await Trainer.create(
      await buildTrainingGraph({ ...spec, batch: 1, mode: 'gradients' }),
      'input_ids',
    )
    const fullBatch = batchOf([0, 1])
    // Both rows have the same number of masked-in targets only if the masks agree, so use
    // an all-ones mask for the comparison.
    fullBatch.lossMask.fill(1)
    const halves = [batchOf([0], 1), batchOf([1], 1)]
    halves.forEach((h) => h.lossMask.fill(1))
    const first = await full.step([fullBatch], 0.02)
    const acc = await accumulated.step(halves, 0.02)
    expect(acc.loss).toBeCloseTo(first.loss, 5)
    full.state.params.forEach((p, i) => {
      for (let k = 0; k < p.length; k++) expect(accumulated.state.params[i][k]).toBeCloseTo(p[k], 5)
    })
    let last = first.loss
    for (let s = 0; s < 40; s++) last = (await full.step([fullBatch], 0.02)).loss
    expect(last).toBeLessThan(first.loss * 0.5)
    await full.release()
    await accumulated.release()
  })
})
