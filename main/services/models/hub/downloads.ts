// The app's downloads from the hub: one at a time per repo, progress on the bus, pause
// (partials kept) and cancel (partials deleted); a finished model is registered at once, so
// it chats without a restart. What was running is written down (the journal), so after a
// restart its .incomplete files are listed as paused and resume with Range.
import type { DownloadProgress } from '../../../contract/hub'
import type { EventBus } from '../../eventBus'
import type { ModelRegistry } from '../registry'
import type { HubConfig } from './hubConfig'
import type { RetryPolicy } from './hubFetch'
import { bytesOnDisk, discardPartials, type PullFile, pullModel } from './pull'

/** A download not finished or cancelled: enough to list it after a restart. */
export interface PendingDownload {
  repo: string
  revision: string
  files: PullFile[]
}

export interface DownloadJournal {
  load(): PendingDownload[]
  save(list: PendingDownload[]): void
}

interface Running {
  abort: AbortController
  stop: 'pause' | 'cancel' | null
  progress: DownloadProgress
  done: Promise<void>
}

export class DownloadManager {
  private readonly downloads = new Map<string, Running>()

  constructor(
    private readonly deps: {
      config: () => HubConfig
      registry: ModelRegistry
      bus: EventBus
      retry?: RetryPolicy
      journal?: DownloadJournal
    },
  ) {
    this.restore()
  }

  /** Downloads the app was running when it stopped: paused, with what is on disk. */
  private restore(): void {
    const journal = this.deps.journal
    if (!journal) return
    const kept: PendingDownload[] = []
    const loaded = journal.load()
    for (const d of loaded) {
      const files = d.files.map((f) => ({
        path: f.path,
        doneBytes: bytesOnDisk(f.blob, f.size),
        totalBytes: f.size,
      }))
      const doneBytes = files.reduce((s, f) => s + f.doneBytes, 0)
      // Nothing left on disk (the cache was cleared): nothing to resume.
      if (doneBytes === 0) continue
      kept.push(d)
      this.downloads.set(this.key(d.repo, d.revision), {
        abort: new AbortController(),
        stop: null,
        progress: {
          repo: d.repo,
          revision: d.revision,
          state: 'paused',
          doneBytes,
          totalBytes: files.reduce((s, f) => s + f.totalBytes, 0),
          bytesPerSecond: 0,
          etaSeconds: null,
          files,
          error: null,
          modelId: null,
        },
        done: Promise.resolve(),
      })
    }
    if (kept.length !== loaded.length) journal.save(kept)
  }

  private note(repo: string, revision: string, files: PullFile[] | null): void {
    const journal = this.deps.journal
    if (!journal) return
    const rest = journal.load().filter((d) => d.repo !== repo || d.revision !== revision)
    journal.save(files ? [...rest, { repo, revision, files }] : rest)
  }

  private key(repo: string, revision: string): string {
    return `${repo}@${revision}`
  }

  private publish(r: Running, p: Partial<DownloadProgress>): void {
    Object.assign(r.progress, p)
    this.deps.bus.emit('hub.downloadProgress', structuredClone(r.progress))
  }

  /** Starts (or resumes, from the partials on disk) a download; returns its progress now. */
  start(repo: string, revision = 'main'): DownloadProgress {
    const key = this.key(repo, revision)
    const current = this.downloads.get(key)
    if (current?.progress.state === 'running') return structuredClone(current.progress)
    const r: Running = {
      abort: new AbortController(),
      stop: null,
      progress: {
        repo,
        revision,
        state: 'running',
        doneBytes: 0,
        totalBytes: 0,
        bytesPerSecond: 0,
        etaSeconds: null,
        files: [],
        error: null,
        modelId: null,
      },
      done: Promise.resolve(),
    }
    this.downloads.set(key, r)
    r.done = pullModel(this.deps.config(), repo, {
      revision,
      signal: r.abort.signal,
      retry: this.deps.retry,
      onFiles: (files) => this.note(repo, revision, files),
      onProgress: (p) => {
        // "done" is said once the model is registered.
        if (p.state === 'done') Object.assign(r.progress, { ...p, state: 'running' })
        else this.publish(r, p)
      },
    }).then(
      ({ snapshotDir }) => {
        this.note(repo, revision, null)
        const entry = this.deps.registry.add(snapshotDir, { name: repo })
        this.publish(r, { state: 'done', etaSeconds: 0, modelId: entry.id })
        this.deps.bus.emit('models.changed', {
          selectedId: this.deps.registry.selectedId(),
          loadedId: null,
        })
      },
      (err: unknown) => {
        if (r.stop === 'cancel') {
          this.note(repo, revision, null)
          discardPartials(this.deps.config(), repo)
          this.downloads.delete(key)
          this.publish(r, { state: 'failed', error: 'Cancelled.', doneBytes: 0 })
        } else if (r.stop === 'pause') {
          this.publish(r, { state: 'paused', bytesPerSecond: 0, etaSeconds: null })
        } else {
          this.publish(r, { state: 'failed', error: (err as Error).message })
        }
      },
    )
    return structuredClone(r.progress)
  }

  async pause(repo: string, revision = 'main'): Promise<boolean> {
    const r = this.downloads.get(this.key(repo, revision))
    if (!r || r.progress.state !== 'running') return false
    r.stop = 'pause'
    r.abort.abort()
    await r.done
    return true
  }

  async cancel(repo: string, revision = 'main'): Promise<boolean> {
    const key = this.key(repo, revision)
    const r = this.downloads.get(key)
    if (r?.progress.state === 'running') {
      // The failure handler deletes the partials once the files have stopped.
      r.stop = 'cancel'
      r.abort.abort()
      await r.done
      return true
    }
    // Paused, failed, or paused in an earlier run of the app: only partials on disk.
    this.note(repo, revision, null)
    discardPartials(this.deps.config(), repo)
    this.downloads.delete(key)
    if (r) this.publish(r, { state: 'failed', error: 'Cancelled.', doneBytes: 0 })
    return r !== undefined
  }

  list(): DownloadProgress[] {
    return [...this.downloads.values()].map((r) => structuredClone(r.progress))
  }

  /** Waits for a download to settle (tests, shutdown). */
  async settled(repo: string, revision = 'main'): Promise<void> {
    await this.downloads.get(this.key(repo, revision))?.done
  }

  stopAll(): void {
    for (const r of this.downloads.values()) {
      r.stop = 'pause'
      r.abort.abort()
    }
  }
}
