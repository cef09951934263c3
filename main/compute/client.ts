import { ApiError, ErrorCode } from '../contract/define'
import type { ComputeLauncher, ComputeProcess } from './launcher'
import {
  isChildMessage,
  type ChildMessage,
  type ComputeEvent,
  type ComputeInput,
  type ComputeMethod,
  type ComputeOutput,
} from './protocol'

interface Pending {
  method: ComputeMethod
  resolve(value: unknown): void
  reject(error: Error): void
  onEvent?: (payload: unknown) => void
}

export interface RequestOptions<M extends ComputeMethod> {
  onEvent?: (payload: ComputeEvent<M>) => void
  signal?: AbortSignal
}

export type ComputeStatus =
  | { state: 'starting' | 'ready' | 'stopped'; pid: number | null; message: null }
  | { state: 'crashed'; pid: number | null; message: string }

export interface ComputeClientOptions {
  /** Hears every change of the child's state (the app forwards it as an event). */
  onStatus?: (status: ComputeStatus) => void
  /** Restarts allowed within `crashWindowMs` before the client waits for the next call. */
  maxQuickRestarts?: number
  crashWindowMs?: number
  log?: (line: string) => void
}

/**
 * Talks to the compute child: numbered requests, promises, streamed events. When the child
 * dies every pending call is rejected with a clear error and a fresh child is started.
 */
export class ComputeClient {
  private child: ComputeProcess | null = null
  private ready: Promise<void> | null = null
  private readonly pending = new Map<number, Pending>()
  private nextId = 1
  private stopped = false
  private recentCrashes: number[] = []
  /** How many times a child was started (1 after the first start). */
  starts = 0

  constructor(
    private readonly launcher: ComputeLauncher,
    private readonly options: ComputeClientOptions = {},
  ) {}

  get pid(): number | undefined {
    return this.child?.pid
  }

  /** Starts the child now instead of at the first call. */
  start(): Promise<void> {
    if (this.stopped) return Promise.reject(new ApiError('unavailable', 'Compute is stopped.'))
    if (this.ready) return this.ready
    const child = this.launcher()
    this.child = child
    this.starts++
    this.options.onStatus?.({ state: 'starting', pid: child.pid ?? null, message: null })
    this.ready = new Promise<void>((resolve, reject) => {
      child.onMessage((raw) => {
        if (!isChildMessage(raw)) return
        if (raw.type === 'ready') {
          this.options.onStatus?.({ state: 'ready', pid: child.pid ?? null, message: null })
          resolve()
        } else this.receive(raw)
      })
      child.onExit((code, signal) => {
        reject(this.exitError(code, signal, 'while starting'))
        this.onChildExit(child, code, signal)
      })
    })
    // Nobody may be waiting yet; the rejection is reported to the caller that awaits it.
    this.ready.catch(() => {})
    return this.ready
  }

  async request<M extends ComputeMethod>(
    method: M,
    input: ComputeInput<M>,
    options: RequestOptions<M> = {},
  ): Promise<ComputeOutput<M>> {
    await this.start()
    const child = this.child!
    const id = this.nextId++
    return new Promise<ComputeOutput<M>>((resolve, reject) => {
      this.pending.set(id, {
        method,
        resolve: resolve as (value: unknown) => void,
        reject,
        onEvent: options.onEvent as ((payload: unknown) => void) | undefined,
      })
      options.signal?.addEventListener('abort', () => child.send({ type: 'cancel', id }), {
        once: true,
      })
      child.send({ type: 'request', id, method, input } as never)
    })
  }

  health(): Promise<ComputeOutput<'health'>> {
    return this.request('health', {})
  }

  /** Stops the child for good (app shutdown). */
  stop(): void {
    this.stopped = true
    const child = this.child
    this.child = null
    this.ready = null
    this.failPending(new ApiError('unavailable', 'Compute was stopped.'))
    child?.kill()
    if (child) this.options.onStatus?.({ state: 'stopped', pid: child.pid ?? null, message: null })
  }

  private receive(message: Exclude<ChildMessage, { type: 'ready' }>): void {
    const pending = this.pending.get(message.id)
    if (!pending) return
    if (message.type === 'event') {
      pending.onEvent?.(message.payload)
      return
    }
    this.pending.delete(message.id)
    if (message.ok) pending.resolve(message.value)
    else {
      // The child's typed errors keep their code (not_found, conflict, busy ...).
      const parsed = ErrorCode.safeParse(message.error.code)
      const code = parsed.success && parsed.data !== 'unavailable' ? parsed.data : 'model_error'
      pending.reject(new ApiError(code, message.error.message))
    }
  }

  private exitError(code: number | null, signal: string | null, when: string): ApiError {
    const how = signal ? `was killed by ${signal}` : `exited with code ${code}`
    return new ApiError(
      'unavailable',
      `The compute process ${how} ${when}; Glassbox starts a fresh one: try again.`,
    )
  }

  private failPending(error: Error): void {
    const calls = [...this.pending.values()]
    this.pending.clear()
    for (const call of calls) call.reject(error)
  }

  private onChildExit(child: ComputeProcess, code: number | null, signal: string | null): void {
    if (this.child !== child) return // an old child, already replaced or stopped
    this.child = null
    this.ready = null
    const methods = [...new Set([...this.pending.values()].map((p) => p.method))]
    const error = this.exitError(
      code,
      signal,
      methods.length ? `during ${methods.join(', ')}` : 'while idle',
    )
    this.failPending(error)
    this.options.onStatus?.({ state: 'crashed', pid: child.pid ?? null, message: error.message })
    if (this.stopped) return
    const now = Date.now()
    const window = this.options.crashWindowMs ?? 10_000
    this.recentCrashes = [...this.recentCrashes.filter((t) => now - t < window), now]
    if (this.recentCrashes.length > (this.options.maxQuickRestarts ?? 3)) {
      this.options.log?.('The compute process keeps crashing; it restarts at the next call.')
      return
    }
    this.options.log?.(`The compute process stopped (${signal ?? code}); restarting it.`)
    void this.start().catch(() => {})
  }
}
