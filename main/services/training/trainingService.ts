import type Database from 'better-sqlite3'
import { mkdirSync, writeFileSync } from 'node:fs'
import { basename, join, resolve } from 'node:path'
import { ApiError } from '../../contract/define'
import type { TrainingSettings } from '../../contract/training'
import { readModelFolder } from '../../../native-models/io/modelFolder'
import { parameterCount } from '../../../native-models/arch'
import { findDefaultModelDir } from '../models/registry'
import {
  TrainingChildExit,
  trainingLauncher,
  type TrainingChild,
  type TrainingLauncher,
} from '../../compute/trainingLauncher'
import type { TextEngine } from '../engine/engine'
import { greedyParams } from '../engine/modelAdapter'
import type { EventBus } from '../eventBus'
import { changedDataError, hashAccepted } from './changedData'
import { inspectFiles } from './dataFiles'
import { checkOutputFolder, defaultOutputFolder } from './outputFolder'
import { prepareData } from './prepareData'
import { TrainingRunStore, type RunRow } from './runStore'
import { DEFAULT_SETTINGS, type RunSettings } from './runSettings'
import type { RunResult } from './trainingRun'

// Runs fine-tuning jobs for the UI and keeps their rows. Each run trains in a child process
// of its own (main/compute/trainingChild.ts), so onnxruntime never loads here and a run that
// crashes or runs out of memory ends that run only; it then resumes once from its checkpoint.

interface Control {
  child: TrainingChild | null
  paused: boolean
  stop: boolean
}

export interface TrainingServiceOptions {
  /** Marks runs left active by a previous process as stopped (not from the CLI: the app may be running). */
  recoverInterrupted?: boolean
  /** Starts a run's child process (default: fork main/compute/trainingChild). */
  launch?: TrainingLauncher
  /** The one generation path (the compute child's engine), for before-and-after answers. */
  engine?: TextEngine
  /** Adds a finished run's model folder to the Models registry. */
  registerModel?: (dir: string) => void
}

/** How often a run is restarted from its checkpoint after its process died. */
const RESTARTS_AFTER_CRASH = 1

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

/** The shipped default model of this install (a clear error where it is missing). */
export function defaultModelDir(): string {
  const dir = findDefaultModelDir()
  if (!dir)
    throw new ApiError(
      'not_found',
      'The shipped model (native-models/default) is missing from this install.',
    )
  return dir
}

/** A rough CPU throughput for the plan's time estimate: training costs ~6 FLOPs per parameter per token. */
const ASSUMED_FLOPS = 5e9

export class TrainingService {
  readonly runs: TrainingRunStore
  private readonly active = new Map<number, Control>()

  private readonly launch: TrainingLauncher
  private readonly engine: TextEngine | null
  private readonly registerModel: ((dir: string) => void) | null
  private closed = false

  constructor(
    db: Database.Database,
    private readonly bus: EventBus,
    private readonly dataDir: string,
    options: TrainingServiceOptions = {},
  ) {
    this.runs = new TrainingRunStore(db)
    this.launch = options.launch ?? trainingLauncher()
    this.engine = options.engine ?? null
    this.registerModel = options.registerModel ?? null
    if (options.recoverInterrupted ?? true) this.runs.markInterrupted()
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
    c.child?.pause()
    this.setStatus(id, 'paused')
  }

  /** Refused (needs_confirmation) when the data files changed since the checkpoint. */
  async resume(id: number, { acceptChangedData = false } = {}): Promise<void> {
    const c = this.active.get(id)
    if (c) {
      c.paused = false
      c.child?.resume()
      this.setStatus(id, 'running')
      return
    }
    const row = this.mustGet(id)
    if (row.status === 'finished') throw new ApiError('conflict', `Run ${id} has already finished.`)
    if (!acceptChangedData) {
      const { verdicts, texts } = await inspectFiles(row.dataPaths)
      const refusal = changedDataError(row.runDir, hashAccepted(verdicts, texts))
      if (refusal) throw refusal
    }
    void this.execute(id, { acceptChangedData })
  }

  cancel(id: number): void {
    const c = this.control(id)
    c.stop = true
    c.paused = false
    c.child?.stop()
  }

  /** The process a run trains in (tests: kill it to see the run survive). */
  childOf(id: number): TrainingChild | null {
    return this.active.get(id)?.child ?? null
  }

  async compare(id: number, prompt: string, maxTokens: number) {
    const row = this.mustGet(id)
    if (row.status !== 'finished') throw new ApiError('conflict', `Run ${id} has not finished yet.`)
    const { engine } = this
    if (!engine) throw new ApiError('unavailable', 'Comparing needs the model engine.')
    // Greedy continuation through the one decode loop: the same prompt, no sampling noise, so
    // the difference is the training.
    const answer = async (dir: string, side: string): Promise<string> => {
      // Not a registry entry: the engine loads it by path and reports no registry id for it.
      const model = { id: -id, name: `run ${id} ${side}`, path: dir, quantization: 'none' as const }
      const result = await engine.generate(
        model,
        {
          cacheKey: `training-compare-${id}-${side}`,
          mode: 'completion',
          systemPrompt: '',
          turns: [{ role: 'user', content: prompt }],
          params: greedyParams(maxTokens),
        },
        () => {},
      )
      return result.text
    }
    const ppl = (loss: number | null): number | null => (loss === null ? null : Math.exp(loss))
    return {
      base: { text: await answer(row.modelDir, 'base'), heldOutPerplexity: ppl(row.baseValLoss) },
      tuned: { text: await answer(row.outDir, 'tuned'), heldOutPerplexity: ppl(row.finalValLoss) },
    }
  }

  /** Ends every run's process at once (the app is closing): each keeps its last checkpoint
   *  and its row is marked stopped at the next start. */
  shutdown(): void {
    this.closed = true
    for (const c of this.active.values()) {
      c.stop = true
      c.child?.kill()
    }
  }

  /** Resolves when no run is active (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.active.size) await new Promise((r) => setTimeout(r, 50))
  }

  /** Runs in a child; a child that dies is restarted from the run's checkpoint, once. */
  private async trainInChild(
    id: number,
    row: RunRow,
    control: Control,
    extra: Pick<RunSettings, 'acceptChangedData'>,
  ): Promise<RunResult> {
    const settings: RunSettings = {
      ...row.settings,
      ...extra,
      modelDir: row.modelDir,
      dataPaths: row.dataPaths,
      outDir: row.outDir,
      runDir: row.runDir,
    }
    for (let restarts = 0; ; restarts++) {
      const child = this.launch(settings, {
        onFiles: (files, plan) => {
          if (this.closed) return
          this.runs.update(id, { files, totalSteps: plan.totalSteps })
          if (!control.paused) this.setStatus(id, 'running')
        },
        onProgress: (p) => {
          if (this.closed) return
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
      })
      control.child = child
      if (control.paused) child.pause()
      if (control.stop) child.stop()
      try {
        return await child.result
      } catch (err) {
        if (!(err instanceof TrainingChildExit) || control.stop || restarts >= RESTARTS_AFTER_CRASH)
          throw err
        const message = `${err.message}; resuming from the last checkpoint`
        this.bus.emit('training.status', { runId: id, status: 'running', message })
      } finally {
        control.child = null
      }
    }
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
    if (this.closed) return
    this.runs.update(id, { status, ...(status === 'failed' ? { error: message ?? null } : {}) })
    this.bus.emit('training.status', { runId: id, status, ...(message ? { message } : {}) })
  }

  private async execute(
    id: number,
    extra: Pick<RunSettings, 'acceptChangedData'> = {},
  ): Promise<void> {
    if (this.active.has(id)) return
    const row = this.mustGet(id)
    const control: Control = { child: null, paused: false, stop: false }
    this.active.set(id, control)
    this.setStatus(id, 'preparing')
    try {
      const result = await this.trainInChild(id, row, control, extra)
      if (this.closed) return
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
