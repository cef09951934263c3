import type Database from 'better-sqlite3'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { basename, join, resolve } from 'node:path'
import { ApiError } from '../../contract/define'
import type { TrainingSettings } from '../../contract/training'
import { loadModel } from '../../../native-models/io/loadModel'
import { readModelFolder } from '../../../native-models/io/modelFolder'
import { parameterCount } from '../../../native-models/arch'
import type { EventBus } from '../eventBus'
import { inspectFiles } from './dataFiles'
import { checkOutputFolder, defaultOutputFolder } from './outputFolder'
import { prepareData } from './prepareData'
import { TrainingRunStore, type RunRow } from './runStore'
import { DEFAULT_SETTINGS, runTraining } from './trainingRun'

// Runs fine-tuning jobs for the UI and keeps their rows. The heavy parts never hold the
// event loop for long: tokenizing runs in a worker thread and every graph run is an
// asynchronous onnxruntime call on its own threads.

interface Control {
  paused: boolean
  stop: boolean
  wake: (() => void) | null
}

/** Settings that suit the model's size: small models take larger steps and more of them. */
export function defaultSettings(parameters: number): TrainingSettings {
  const big = parameters > 50e6
  return {
    ...DEFAULT_SETTINGS,
    mode: big ? 'lora' : 'full',
    learningRate: big ? 2e-4 : parameters > 5e6 ? 5e-4 : 1e-3,
    batchSize: big ? 2 : 4,
    seqLen: big ? 256 : 128,
  }
}

/** The shipped default model: native-models/default in the source tree or beside the build. */
export function defaultModelDir(): string {
  const candidates = [
    resolve(process.cwd(), 'native-models/default'),
    resolve(__dirname, '../../native-models/default'),
  ]
  return candidates.find((d) => existsSync(join(d, 'config.json'))) ?? candidates[0]
}

/** A rough CPU throughput for the plan's time estimate: training costs ~6 FLOPs per parameter per token. */
const ASSUMED_FLOPS = 5e9

export class TrainingService {
  readonly runs: TrainingRunStore
  private readonly active = new Map<number, Control>()

  constructor(
    db: Database.Database,
    private readonly bus: EventBus,
    private readonly dataDir: string,
    /** Marks runs left active by a previous process as stopped (not from the CLI: the app may be running). */
    recoverInterrupted = true,
    /** Adds a finished run's model folder to the Models registry. */
    private readonly registerModel?: (dir: string) => void,
  ) {
    this.runs = new TrainingRunStore(db)
    if (recoverInterrupted) this.runs.markInterrupted()
  }

  defaults(modelDir = defaultModelDir()): {
    modelDir: string
    settings: TrainingSettings
    parameterCount: number
  } {
    const folder = readModelFolder(modelDir)
    const n = parameterCount(folder.cfg)
    return { modelDir, settings: defaultSettings(n), parameterCount: n }
  }

  /** Saves dropped files (name + bytes) in a fresh uploads folder and inspects them. */
  async addFiles(files: { name: string; dataBase64: string }[]) {
    const dir = join(
      this.dataDir,
      'training',
      'uploads',
      `${Date.now()}-${Math.random().toString(36).slice(2, 8)}`,
    )
    mkdirSync(dir, { recursive: true })
    const paths = files.map((f) => {
      const path = join(dir, basename(f.name))
      writeFileSync(path, Buffer.from(f.dataBase64, 'base64'))
      return path
    })
    return { files: (await inspectFiles(paths)).verdicts }
  }

  async plan(modelDir: string, paths: string[], settings: TrainingSettings) {
    const folder = readModelFolder(modelDir)
    const { verdicts, texts } = await inspectFiles(paths)
    if (!texts.length) return { files: verdicts, tokens: 0, steps: 0, estimatedSeconds: 0 }
    const data = await prepareData({
      texts,
      tokenizerJson: folder.tokenizerJson,
      tokenizerConfig: folder.tokenizerConfig,
      seqLen: settings.seqLen,
      eosId: folder.cfg.eosTokenIds[0] ?? 0,
      heldOutFraction: settings.heldOutFraction,
      seed: settings.seed,
    })
    const perEpoch = Math.max(1, Math.ceil(data.train.count / settings.batchSize))
    const steps =
      settings.maxSteps > 0
        ? settings.maxSteps
        : Math.max(1, Math.round(perEpoch * settings.epochs))
    const tokensTrained = steps * settings.batchSize * settings.seqLen
    const estimatedSeconds = (6 * parameterCount(folder.cfg) * tokensTrained) / ASSUMED_FLOPS
    return { files: verdicts, tokens: data.tokens, steps, estimatedSeconds }
  }

  start(input: {
    modelDir: string
    paths: string[]
    outDir?: string
    /** The picked output folder holds files, and the person agreed to write into it. */
    confirmOverwrite?: boolean
    settings: TrainingSettings
  }): number {
    readModelFolder(input.modelDir)
    if (input.outDir) {
      checkOutputFolder(input.outDir, input.modelDir, {
        confirmedNotEmpty: input.confirmOverwrite,
      })
    }
    const row = this.runs.create({
      modelDir: input.modelDir,
      outDir: input.outDir ?? '',
      runDir: '',
      dataPaths: input.paths,
      settings: input.settings,
    })
    // Folders are named after the row id, which only exists after the insert.
    const runDir = join(this.dataDir, 'training', `run-${row.id}`)
    const outDir = input.outDir
      ? resolve(input.outDir)
      : defaultOutputFolder(this.dataDir, basename(resolve(input.modelDir)), row.id)
    this.runs.db
      .prepare('UPDATE training_runs SET run_dir = ?, out_dir = ? WHERE id = ?')
      .run(runDir, outDir, row.id)
    void this.execute(row.id)
    return row.id
  }

  pause(id: number): void {
    const c = this.control(id)
    c.paused = true
    this.setStatus(id, 'paused')
  }

  resume(id: number): void {
    const c = this.active.get(id)
    if (c) {
      c.paused = false
      c.wake?.()
      this.setStatus(id, 'running')
      return
    }
    const row = this.mustGet(id)
    if (row.status === 'finished') throw new ApiError('conflict', `Run ${id} has already finished.`)
    void this.execute(id)
  }

  cancel(id: number): void {
    const c = this.control(id)
    c.stop = true
    c.paused = false
    c.wake?.()
  }

  async compare(id: number, prompt: string, maxTokens: number) {
    const row = this.mustGet(id)
    if (row.status !== 'finished') throw new ApiError('conflict', `Run ${id} has not finished yet.`)
    const answer = async (dir: string): Promise<string> => {
      const model = await loadModel(dir)
      try {
        // Greedy continuation: the same prompt, no sampling noise, so the difference is the training.
        const session = model.newSession()
        const ids = model.tokenizer.encode(prompt)
        let logits = await session.prefill(ids)
        const out: number[] = []
        for (let i = 0; i < maxTokens; i++) {
          let best = 0
          for (let k = 1; k < logits.length; k++) if (logits[k] > logits[best]) best = k
          if (model.info.eosTokenIds.includes(best)) break
          out.push(best)
          logits = await session.decode(best)
        }
        await session.dispose()
        return model.tokenizer.decode(out, { skipSpecialTokens: true })
      } finally {
        await model.dispose()
      }
    }
    const ppl = (loss: number | null): number | null => (loss === null ? null : Math.exp(loss))
    return {
      base: { text: await answer(row.modelDir), heldOutPerplexity: ppl(row.baseValLoss) },
      tuned: { text: await answer(row.outDir), heldOutPerplexity: ppl(row.finalValLoss) },
    }
  }

  /** Resolves when no run is active (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.active.size) await new Promise((r) => setTimeout(r, 50))
  }

  private mustGet(id: number): RunRow {
    const row = this.runs.get(id)
    if (!row) throw new ApiError('not_found', `There is no training run ${id}.`)
    return row
  }

  private control(id: number): Control {
    const c = this.active.get(id)
    if (!c) throw new ApiError('conflict', `Run ${id} is not running.`)
    return c
  }

  private setStatus(id: number, status: RunRow['status'], message?: string): void {
    this.runs.update(id, { status, ...(status === 'failed' ? { error: message ?? null } : {}) })
    this.bus.emit('training.status', { runId: id, status, ...(message ? { message } : {}) })
  }

  private async execute(id: number): Promise<void> {
    if (this.active.has(id)) return
    const row = this.mustGet(id)
    const control: Control = { paused: false, stop: false, wake: null }
    this.active.set(id, control)
    this.setStatus(id, 'preparing')
    try {
      const result = await runTraining(
        {
          ...row.settings,
          modelDir: row.modelDir,
          dataPaths: row.dataPaths,
          outDir: row.outDir,
          runDir: row.runDir,
        },
        {
          onFiles: (files, plan) => {
            this.runs.update(id, { files, totalSteps: plan.totalSteps })
            this.setStatus(id, 'running')
          },
          onProgress: (p) => {
            this.runs.update(id, { step: p.step })
            this.runs.addMetric(id, {
              step: p.step,
              trainLoss: p.trainLoss,
              valLoss: p.valLoss,
              lr: p.lr,
              tokens: p.tokens,
              tokensPerSecond: p.tokensPerSecond,
            })
            this.bus.emit('training.progress', { runId: id, ...p })
          },
          shouldStop: () => control.stop,
          waitWhilePaused: async () => {
            while (control.paused && !control.stop)
              await new Promise<void>((r) => (control.wake = r))
            control.wake = null
          },
        },
      )
      this.runs.update(id, {
        step: result.steps,
        baseValLoss: Number.isFinite(result.baseValLoss) ? result.baseValLoss : null,
        finalValLoss: Number.isFinite(result.finalValLoss) ? result.finalValLoss : null,
      })
      // What was trained is listed in Models at once, ready for "Use in chat".
      if (result.status === 'finished') this.registerModel?.(row.outDir)
      this.setStatus(id, result.status)
    } catch (err) {
      this.setStatus(id, 'failed', err instanceof Error ? err.message : String(err))
    } finally {
      this.active.delete(id)
    }
  }
}
