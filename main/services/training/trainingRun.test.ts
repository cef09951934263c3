import { createHash } from 'node:crypto'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { writeFixtureModel } from '../../../native-models/io/fixture'
import { loadModel } from '../../../native-models/io/loadModel'
import * as ort from 'onnxruntime-node'
import { readModelFolder } from '../../../native-models/io/modelFolder'
import { addLoraAdapters, DEFAULT_LORA_TARGETS } from '../../../native-models/training/lora'
import { trainableForward, transpose2d } from '../../../native-models/training/modelTraining'
import { createSession } from '../../../native-models/training/ortGraph'
import { DEFAULT_SETTINGS, runTraining, type RunSettings } from './trainingRun'

const text = Array.from(
  { length: 60 },
  (_, i) => `The cat sat on the mat. The dog sat on the log. Line ${i % 7} ends here.`,
).join('\n')

async function setup(): Promise<{ dir: string; model: string; data: string[] }> {
  const dir = await mkdtemp(join(tmpdir(), 'gb-train-'))
  const model = join(dir, 'base')
  await writeFixtureModel(model, { arch: 'llama', seed: 3 })
  await writeFile(join(dir, 'notes.txt'), text)
  await writeFile(join(dir, 'more.md'), text.split('\n').reverse().join('\n'))
  await writeFile(join(dir, 'photo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3]))
  return {
    dir,
    model,
    data: [join(dir, 'notes.txt'), join(dir, 'more.md'), join(dir, 'photo.png')],
  }
}

function settings(
  dir: string,
  model: string,
  data: string[],
  extra: Partial<RunSettings>,
): RunSettings {
  return {
    ...DEFAULT_SETTINGS,
    modelDir: model,
    dataPaths: data,
    outDir: join(dir, 'out'),
    runDir: join(dir, 'run'),
    batchSize: 4,
    seqLen: 32,
    maxSteps: 24,
    learningRate: 3e-3,
    warmupSteps: 3,
    evalEvery: 8,
    checkpointEvery: 5,
    threads: 1,
    ...extra,
  }
}

/** A minimal reader for the F32 files we write (the test checks names, shapes and values). */
function readF32Safetensors(buf: Buffer) {
  const n = Number(buf.readBigUInt64LE(0))
  const header = JSON.parse(buf.subarray(8, 8 + n).toString('utf8')) as Record<
    string,
    { shape: number[]; data_offsets: [number, number] }
  >
  delete header.__metadata__
  const start = 8 + n
  return {
    names: () => Object.keys(header),
    entry: (name: string) => header[name],
    f32: (name: string) => {
      const [a, b] = header[name].data_offsets
      return new Float32Array(
        buf.buffer.slice(buf.byteOffset + start + a, buf.byteOffset + start + b),
      )
    },
  }
}

const sha = async (p: string): Promise<string> =>
  createHash('sha256')
    .update(await readFile(p))
    .digest('hex')

describe('runTraining on a fixture model', () => {
  it('full fine-tuning: loss falls, held-out loss improves, the output folder loads in chat', async () => {
    const { dir, model, data } = await setup()
    const result = await runTraining(settings(dir, model, data, {}))
    expect(result.verdicts.find((v) => v.path.endsWith('photo.png'))!.status).toBe('refused')
    const first = result.curve.slice(0, 3).reduce((a, c) => a + c.trainLoss, 0) / 3
    const last = result.curve.slice(-3).reduce((a, c) => a + c.trainLoss, 0) / 3
    expect(last).toBeLessThan(first * 0.8)
    expect(result.finalValLoss).toBeLessThan(result.baseValLoss)
    const tuned = await loadModel(join(dir, 'out'))
    const logits = await tuned.logits(tuned.tokenizer.encode('The cat sat'))
    expect(logits.length).toBeGreaterThan(0)
    await tuned.dispose()
  })

  it('LoRA: base weights bit-identical, merged logits equal base + adapter, PEFT names and shapes', async () => {
    const { dir, model, data } = await setup()
    const before = await sha(join(model, 'model.safetensors'))
    const result = await runTraining(
      settings(dir, model, data, { mode: 'lora', loraRank: 4, loraAlpha: 8, learningRate: 1e-2 }),
    )
    expect(await sha(join(model, 'model.safetensors'))).toBe(before)
    expect(result.finalValLoss).toBeLessThan(result.baseValLoss)
    const peft = JSON.parse(await readFile(join(dir, 'out', 'adapter_config.json'), 'utf8'))
    expect(peft).toMatchObject({ peft_type: 'LORA', r: 4, lora_alpha: 8, fan_in_fan_out: false })
    const adapter = readF32Safetensors(
      await readFile(join(dir, 'out', 'adapter_model.safetensors')),
    )
    const base = readModelFolder(model)
    const h = base.cfg.hiddenSize
    const qA = 'base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight'
    expect(adapter.entry(qA).shape).toEqual([4, h])
    expect(
      adapter.entry('base_model.model.model.layers.0.mlp.down_proj.lora_B.weight').shape,
    ).toEqual([h, 4])
    expect(adapter.names().length).toBe(2 * 7 * base.cfg.numLayers)

    // base + adapter computed directly: the LoRA graph with the saved adapter's values.
    const fwd = trainableForward(base.cfg, base.weights)
    const lora = addLoraAdapters(fwd.model, { rank: 4, alpha: 8, targets: DEFAULT_LORA_TARGETS })
    for (const t of lora.model.graph!.initializer!) {
      const m = lora.modules.find((x) => x.aName === t.name || x.bName === t.name)
      if (!m) continue
      const isA = m.aName === t.name
      const saved = adapter.f32(`base_model.model.${m.module}.lora_${isA ? 'A' : 'B'}.weight`)
      const data = isA ? transpose2d(saved, 4, m.inFeatures) : transpose2d(saved, m.outFeatures, 4)
      t.rawData = new Uint8Array(data.buffer)
    }
    const merged = await loadModel(join(dir, 'out'))
    const ids = merged.tokenizer.encode('The dog sat on the')
    const session = await createSession(lora.model)
    const direct = await session.run({
      input_ids: new ort.Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [1, ids.length]),
      ...fwd.fixedInputs(1, ids.length),
    })
    const viaChat = await merged.logits(ids)
    const directLogits = direct.logits.data as Float32Array
    const V = base.cfg.vocabSize
    let worst = 0
    viaChat.forEach((row, pos) =>
      row.forEach((x, k) => (worst = Math.max(worst, Math.abs(x - directLogits[pos * V + k])))),
    )
    expect(worst).toBeLessThan(1e-3)
    await merged.dispose()
    await session.release()
  })

  it('LoRA dropout: masks drawn from (seed, step), so the same seed gives the same curve', async () => {
    const a = await setup()
    const b = await setup()
    const extra = {
      mode: 'lora' as const,
      loraRank: 4,
      loraAlpha: 8,
      loraDropout: 0.2,
      learningRate: 1e-2,
      maxSteps: 8,
    }
    const first = await runTraining(settings(a.dir, a.model, a.data, extra))
    const second = await runTraining(settings(b.dir, b.model, b.data, extra))
    second.curve.forEach((c, i) => expect(c.trainLoss).toBeCloseTo(first.curve[i].trainLoss, 5))
    const peft = JSON.parse(await readFile(join(a.dir, 'out', 'adapter_config.json'), 'utf8'))
    expect(peft.lora_dropout).toBe(0.2)
    expect(first.finalValLoss).toBeLessThan(first.baseValLoss)
  })

  it('resumes from its checkpoint with the same loss curve as an uninterrupted run', async () => {
    const a = await setup()
    const straight = await runTraining(settings(a.dir, a.model, a.data, { maxSteps: 12 }))
    const b = await setup()
    let calls = 0
    const stopped = await runTraining(settings(b.dir, b.model, b.data, { maxSteps: 12 }), {
      shouldStop: () => ++calls > 7,
    })
    expect(stopped.status).toBe('stopped')
    expect(stopped.steps).toBe(7)
    const resumed = await runTraining(settings(b.dir, b.model, b.data, { maxSteps: 12 }))
    expect(resumed.status).toBe('finished')
    expect(resumed.curve.map((c) => c.step)).toEqual(straight.curve.map((c) => c.step))
    resumed.curve.forEach((c, i) => expect(c.trainLoss).toBeCloseTo(straight.curve[i].trainLoss, 4))
  })

  it('asks before resuming on data files that changed since the checkpoint', async () => {
    const b = await setup()
    let calls = 0
    const run = settings(b.dir, b.model, b.data, { maxSteps: 8 })
    const stopped = await runTraining(run, { shouldStop: () => ++calls > 3 })
    expect(stopped.status).toBe('stopped')
    await writeFile(join(b.dir, 'notes.txt'), text + '\nA line added after the pause.')
    await expect(runTraining(run)).rejects.toMatchObject({
      code: 'needs_confirmation',
      message: expect.stringContaining(`${join(b.dir, 'notes.txt')} changed`),
    })
    const resumed = await runTraining({ ...run, acceptChangedData: true })
    expect(resumed.status).toBe('finished')
  })

  it('a single unusable file: the error gives its reason', async () => {
    const b = await setup()
    await expect(runTraining(settings(b.dir, b.model, [b.data[2]], {}))).rejects.toThrow(
      `${b.data[2]} cannot be used for training: only .txt and .md files are used (this is .png)`,
    )
  })
})
