// Training runs in a child process of its own: a run whose process is killed or runs out of
// memory ends that run only, then resumes from its checkpoint.
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { trainingLauncher } from '../../compute/trainingLauncher'
import { EventBus } from '../eventBus'
import { openDatabase } from '../store'
import { makeTempDir } from '../store/testing/tempDir'
import { findDefaultModelDir } from '../models/registry'
import { DEFAULT_SETTINGS } from './runSettings'
import { TrainingService } from './trainingService'

const modelDir = findDefaultModelDir()!
let temp: ReturnType<typeof makeTempDir>
let notes: string

const settings = {
  ...DEFAULT_SETTINGS,
  maxSteps: 12,
  batchSize: 2,
  seqLen: 32,
  checkpointEvery: 2,
  evalEvery: 4,
  threads: 1,
}

beforeEach(() => {
  temp = makeTempDir()
  notes = path.join(temp.dir, 'notes.txt')
  const line = 'And the river ran by the mill, and the miller sang of the river.\n'
  fs.writeFileSync(notes, line.repeat(120))
})

afterEach(() => temp.cleanup())

async function until(what: string, ok: () => boolean, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}

describe('training in a child process', () => {
  it('resumes a run from its checkpoint after its process is killed, and says so', async () => {
    const db = openDatabase(path.join(temp.dir, 'glassbox.db'))
    const bus = new EventBus()
    const messages: string[] = []
    bus.on((name, payload) => {
      const message = (payload as { message?: string }).message
      if (name === 'training.status' && message) messages.push(message)
    })
    const training = new TrainingService(db, bus, temp.dir)
    const runId = training.start({ modelDir, paths: [notes], settings })
    await until('step 5', () => (training.runs.get(runId)?.step ?? 0) >= 5)
    const killed = training.childOf(runId)!
    killed.kill()
    await training.idle()
    const run = training.runs.get(runId)!
    expect(run.status).toBe('finished')
    expect(run.step).toBe(12)
    expect(messages.join('\n')).toMatch(/SIGKILL.*resuming from the last checkpoint/)
    // Steps after the last checkpoint ran twice; every step has a metric row.
    expect(new Set(training.runs.metrics(runId).map((m) => m.step)).size).toBe(12)
    db.close()
  })

  it('ends a run whose process runs out of memory with a reason, and only that run', async () => {
    const db = openDatabase(path.join(temp.dir, 'glassbox.db'))
    const bus = new EventBus()
    // A data-segment limit (RLIMIT_DATA: heap and private writable mappings) that the child
    // starts and prepares its data under, then cannot train a large batch in. (An
    // address-space limit fails earlier: WebAssembly reserves gigabytes at start-up.)
    const launch = trainingLauncher({ wrapper: ['prlimit', `--data=${600 * 1024 ** 2}`, '--'] })
    const training = new TrainingService(db, bus, temp.dir, { launch })
    const runId = training.start({
      modelDir,
      paths: [notes],
      settings: { ...settings, batchSize: 64, seqLen: 256 },
    })
    await training.idle()
    const run = training.runs.get(runId)!
    expect(run.status).toBe('failed')
    expect(run.files[0]?.status).toBe('accepted')
    // Where the limit bites varies: an allocation onnxruntime reports, or V8 ending the child.
    expect(run.error).toMatch(/allocat|bad_alloc|out of memory|ended by SIG/i)
    // The service still trains the next run.
    const next = new TrainingService(db, bus, temp.dir, { recoverInterrupted: false })
    const nextId = next.start({ modelDir, paths: [notes], settings: { ...settings, maxSteps: 2 } })
    await next.idle()
    expect(next.runs.get(nextId)!.status).toBe('finished')
    db.close()
  })
})
