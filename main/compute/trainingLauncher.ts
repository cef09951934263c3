// Starts one training run in a child process of its own and speaks its protocol. The main
// process never loads onnxruntime for training; a child that crashes or runs out of memory
// ends with an exit the caller sees as a failed run, never as a crash of the app.
import { fork } from 'node:child_process'
import type { RunProgress, RunResult } from '../services/training/trainingRun'
import type { RunSettings } from '../services/training/runSettings'
import type { FileVerdict } from '../services/training/dataFiles'
import { childEntry, type ComputeEntry } from './launcher'
import { TrainingChildMessage, type TrainingParentMessage } from './trainingProtocol'

export interface TrainingEvents {
  onFiles(files: FileVerdict[], plan: { tokens: number; totalSteps: number }): void
  onProgress(progress: RunProgress): void
}

export interface TrainingChild {
  readonly pid: number | undefined
  /** Resolves with the run's result; rejects with TrainingChildExit when the child dies. */
  readonly result: Promise<RunResult>
  pause(): void
  resume(): void
  stop(): void
  /** Ends the child at once (SIGKILL): the run keeps its last checkpoint. */
  kill(): void
}

/** A training child that ended without a result: a native crash, a kill, out of memory. */
export class TrainingChildExit extends Error {
  constructor(
    readonly exitCode: number | null,
    readonly signal: string | null,
  ) {
    super(
      signal
        ? `the training process was ended by ${signal}${signal === 'SIGKILL' ? ' (killed, or out of memory)' : ''}`
        : `the training process exited with code ${exitCode}`,
    )
    this.name = 'TrainingChildExit'
  }
}

export interface TrainingLaunchOptions {
  entry?: ComputeEntry
  /** A command to run the child under, e.g. ['prlimit', '--as=N', '--'] (tests). */
  wrapper?: string[]
}

export type TrainingLauncher = (settings: RunSettings, events: TrainingEvents) => TrainingChild

export function trainingLauncher(options: TrainingLaunchOptions = {}): TrainingLauncher {
  return (settings, events) => {
    const entry = options.entry ?? childEntry('trainingChild', 'trainingChild.ts')
    const [wrapper, ...wrapperArgs] = options.wrapper ?? []
    const child = fork(entry.entry, [], {
      execArgv: entry.execArgv,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'advanced',
      ...(wrapper
        ? { execPath: wrapper, execArgv: [...wrapperArgs, process.execPath, ...entry.execArgv] }
        : {}),
    })
    const send = (message: TrainingParentMessage) => {
      if (child.connected) child.send(message)
    }
    const result = new Promise<RunResult>((resolve, reject) => {
      let settled = false
      child.on('message', (raw) => {
        const parsed = TrainingChildMessage.safeParse(raw)
        if (!parsed.success) return
        const message = parsed.data
        if (message.type === 'files') events.onFiles(message.files, message.plan)
        else if (message.type === 'progress') events.onProgress(message.progress)
        else if (message.type === 'done') {
          settled = true
          resolve(message.result)
        } else if (message.type === 'failed') {
          settled = true
          reject(new Error(message.message))
        }
      })
      child.on('error', (err) => {
        if (!settled) reject(err)
        settled = true
      })
      child.on('exit', (code, signal) => {
        if (!settled) reject(new TrainingChildExit(code, signal))
        settled = true
      })
    })
    send({ type: 'start', settings })
    return {
      pid: child.pid,
      result,
      pause: () => send({ type: 'pause' }),
      resume: () => send({ type: 'resume' }),
      stop: () => send({ type: 'stop' }),
      kill: () => {
        child.kill('SIGKILL')
      },
    }
  }
}
