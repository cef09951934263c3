import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { writeFixtureModel } from '../../../native-models/io/fixture'
import { ComputeClient } from '../../compute/client'
import { forkLauncher } from '../../compute/launcher'
import { ComputeEngine } from '../engine/computeEngine'
import { EventBus } from '../eventBus'
import { openDatabase } from '../store'
import { TrainingService } from './trainingService'

describe('TrainingService', () => {
  it('runs with progress events and SQLite rows; pause, cancel, resume from checkpoint, compare', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gb-svc-'))
    const model = join(dir, 'base')
    await writeFixtureModel(model, { arch: 'gpt2', seed: 2 })
    const text = Array.from(
      { length: 80 },
      (_, i) => `A quiet river runs by the old mill, day ${i % 5}.`,
    ).join('\n')
    await writeFile(join(dir, 'a.txt'), text)
    const db = openDatabase(join(dir, 'glassbox.db'))
    const bus = new EventBus()
    const events: { event: string; payload: Record<string, unknown> }[] = []
    bus.on((event, payload) => events.push({ event, payload: payload as Record<string, unknown> }))
    // Before-and-after answers come from the one decode loop, in the compute child.
    const compute = new ComputeClient(forkLauncher())
    const registered: string[] = []
    const training = new TrainingService(db, bus, dir, {
      engine: new ComputeEngine(compute),
      registerModel: (d) => void registered.push(d),
    })
    const { settings } = training.defaults(model)
    // Enough steps that the run cannot finish while the pause message is on its way.
    const steps = 40
    let pauseSent = false
    bus.on((event) => {
      if (event === 'training.progress' && !pauseSent) {
        pauseSent = true
        training.pause(runId)
      }
    })
    const runId = training.start({
      modelDir: model,
      paths: [join(dir, 'a.txt')],
      settings: {
        ...settings,
        maxSteps: steps,
        batchSize: 2,
        seqLen: 32,
        checkpointEvery: 4,
        evalEvery: 4,
        threads: 1,
      },
    })
    const progressOf = () =>
      events.filter((e) => e.event === 'training.progress' && e.payload.runId === runId)
    while (!pauseSent) await new Promise((r) => setTimeout(r, 20))
    // The run trains in its own process: steps already under way when the pause message
    // arrives still report, then nothing more while it is paused.
    await new Promise((r) => setTimeout(r, 300))
    const pausedAt = progressOf().length
    await new Promise((r) => setTimeout(r, 600))
    expect(progressOf().length).toBe(pausedAt)
    training.cancel(runId)
    await training.idle()
    expect(training.runs.get(runId)!.status).toBe('stopped')
    const stoppedAt = training.runs.get(runId)!.step
    expect(stoppedAt).toBeLessThan(steps)

    // Other text than the checkpoint was trained on: refused until the person confirms.
    await writeFile(join(dir, 'a.txt'), `${text}\nOne more line.`)
    await expect(training.resume(runId)).rejects.toMatchObject({
      code: 'needs_confirmation',
      message: expect.stringContaining(`${join(dir, 'a.txt')} changed`),
    })
    expect(training.runs.get(runId)!.status).toBe('stopped')
    await training.resume(runId, { acceptChangedData: true })
    await training.idle()
    const run = training.runs.get(runId)!
    expect(run.status).toBe('finished')
    expect(run.step).toBe(steps)
    expect(run.files[0].status).toBe('accepted')
    const metrics = training.runs.metrics(runId)
    expect(metrics.map((m) => m.step)).toEqual([...Array(steps).keys()].map((k) => k + 1))
    const p = progressOf().at(-1)!.payload
    for (const key of [
      'step',
      'tokens',
      'trainLoss',
      'valLoss',
      'lr',
      'tokensPerSecond',
      'etaSeconds',
    ])
      expect(p).toHaveProperty(key)

    // The output folder was chosen under the data folder, named after the run, and the
    // finished model registered for Models and chat.
    expect(run.outDir).toBe(join(dir, 'trained', `base-run-${runId}`))
    expect(existsSync(join(run.outDir, 'model.safetensors'))).toBe(true)
    expect(registered).toEqual([run.outDir])

    const compared = await training.compare(runId, 'A quiet river', 8)
    expect(compared.tuned.heldOutPerplexity!).toBeLessThan(compared.base.heldOutPerplexity!)
    expect(typeof compared.tuned.text).toBe('string')
    expect(compared.base.text.length + compared.tuned.text.length).toBeGreaterThan(0)
    compute.stop()
    db.close()
  })

  it('never writes into the source model folder, nor a non-empty one unconfirmed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gb-svc-'))
    const model = join(dir, 'base')
    await writeFixtureModel(model, { arch: 'gpt2', seed: 2 })
    await writeFile(join(dir, 'a.txt'), 'Some text to train on.')
    const weights = readFileSync(join(model, 'model.safetensors'))
    const db = openDatabase(join(dir, 'glassbox.db'))
    const training = new TrainingService(db, new EventBus(), dir)
    const { settings } = training.defaults(model)
    const start = (outDir: string, confirmOverwrite?: boolean) =>
      training.start({
        modelDir: model,
        paths: [join(dir, 'a.txt')],
        outDir,
        confirmOverwrite,
        settings,
      })
    expect(() => start(model)).toThrow(expect.objectContaining({ code: 'bad_request' }))
    expect(() => start(join(model, 'sub'))).toThrow(/source model's folder/)
    mkdirSync(join(dir, 'busy'))
    await writeFile(join(dir, 'busy', 'mine.txt'), 'keep me')
    expect(() => start(join(dir, 'busy'))).toThrow(
      expect.objectContaining({
        code: 'needs_confirmation',
        message: expect.stringContaining('mine.txt'),
      }),
    )
    expect(training.runs.list()).toHaveLength(0)
    const id = start(join(dir, 'busy'), true)
    training.cancel(id)
    await training.idle()
    expect(readFileSync(join(model, 'model.safetensors')).equals(weights)).toBe(true)
    db.close()
  })
})
