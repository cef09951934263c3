// A model from the hub into the huggingface_hub cache layout (file_download.py):
//   models--org--name/blobs/<sha256 or git oid>
//   models--org--name/snapshots/<commit>/<file> -> ../../blobs/<...> (relative symlinks)
//   models--org--name/refs/<revision> holding the commit
// The snapshot's links are made only once every blob is complete, so a half-downloaded model
// never looks usable.
import fs from 'node:fs'
import path from 'node:path'
import type { DownloadPlan, DownloadProgress } from '../../../contract/hub'
import { assertRunnable, neededFiles, planDownload, repoInfo } from './hubClient'
import { type HubConfig, isCommitHash, repoFolderName } from './hubConfig'
import { downloadFile } from './downloadFile'
import type { RetryPolicy } from './hubFetch'

export interface PullOptions {
  revision?: string
  signal?: AbortSignal
  onProgress?: (p: DownloadProgress) => void
  /** Files fetched at once. */
  parallel?: number
  retry?: RetryPolicy
  /** The blobs this pull writes, told before the first byte (to find them after a restart). */
  onFiles?: (files: PullFile[]) => void
  /** Skips the runnable check (tests of the layout itself). */
  force?: boolean
  now?: () => number
}

export interface PullFile {
  path: string
  size: number
  blob: string
}

export interface PullResult {
  plan: DownloadPlan
  snapshotDir: string
}

/** Bytes/s over the last few seconds, so the ETA follows the current speed. */
export class RateMeter {
  private samples: { t: number; bytes: number }[] = []
  constructor(private readonly windowMs = 5000) {}
  add(t: number, total: number): void {
    this.samples.push({ t, bytes: total })
    while (this.samples.length > 2 && t - this.samples[0].t > this.windowMs) this.samples.shift()
  }
  rate(): number {
    const a = this.samples[0]
    const b = this.samples[this.samples.length - 1]
    if (!a || !b || b.t - a.t < 200) return 0
    return Math.max(0, ((b.bytes - a.bytes) * 1000) / (b.t - a.t))
  }
}

export function snapshotPath(cfg: HubConfig, repo: string, commit: string): string {
  return path.join(cfg.cacheDir, repoFolderName(repo), 'snapshots', commit)
}

function link(blob: string, entry: string): void {
  fs.mkdirSync(path.dirname(entry), { recursive: true })
  fs.rmSync(entry, { force: true })
  const target = path.relative(path.dirname(entry), blob)
  try {
    fs.symlinkSync(target, entry)
  } catch {
    // Where symlinks are not allowed (Windows without developer mode), huggingface_hub
    // copies; so do we.
    fs.copyFileSync(blob, entry)
  }
}

export async function pullModel(
  cfg: HubConfig,
  repo: string,
  opts: PullOptions = {},
): Promise<PullResult> {
  const revision = opts.revision ?? 'main'
  const now = opts.now ?? Date.now
  const info = await repoInfo(cfg, repo, revision, opts.signal)
  const plan = planDownload(cfg, info, revision)
  if (!opts.force) assertRunnable(plan)
  const repoDir = path.join(cfg.cacheDir, repoFolderName(repo))
  const files = neededFiles(info.files)
  const blobOf = (f: (typeof files)[number]) => path.join(repoDir, 'blobs', f.sha256 ?? f.gitOid)
  const progress: DownloadProgress = {
    repo,
    revision,
    state: 'running',
    doneBytes: 0,
    totalBytes: plan.totalBytes,
    bytesPerSecond: 0,
    etaSeconds: null,
    files: files.map((f) => {
      return { path: f.path, doneBytes: bytesOnDisk(blobOf(f), f.size), totalBytes: f.size }
    }),
    error: null,
    modelId: null,
  }
  progress.doneBytes = progress.files.reduce((s, f) => s + f.doneBytes, 0)
  opts.onFiles?.(files.map((f) => ({ path: f.path, size: f.size, blob: blobOf(f) })))
  const meter = new RateMeter()
  let lastEmit = 0
  const emit = (force = false) => {
    const t = now()
    meter.add(t, progress.doneBytes)
    if (!force && t - lastEmit < 200) return
    lastEmit = t
    progress.bytesPerSecond = meter.rate()
    progress.etaSeconds =
      progress.bytesPerSecond > 0
        ? (progress.totalBytes - progress.doneBytes) / progress.bytesPerSecond
        : null
    opts.onProgress?.(structuredClone(progress))
  }
  emit(true)

  // One failed file stops the others: their partials stay for the resume.
  const inner = new AbortController()
  const onOuterAbort = () => inner.abort()
  opts.signal?.addEventListener('abort', onOuterAbort, { once: true })
  const queue = files.map((f, i) => ({ f, i }))
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const { f, i } = next
      const blob = blobOf(f)
      if (fs.existsSync(blob) && fs.statSync(blob).size === f.size) continue
      await downloadFile(
        cfg,
        { repo, commit: info.commit, path: f.path, size: f.size, sha256: f.sha256, blob },
        {
          signal: inner.signal,
          retry: opts.retry,
          onBytes: (n) => {
            progress.files[i].doneBytes += n
            progress.doneBytes += n
            emit()
          },
        },
      )
    }
  }
  try {
    await Promise.all(
      Array.from({ length: Math.min(opts.parallel ?? 4, files.length) }, () =>
        worker().catch((err: unknown) => {
          inner.abort()
          throw err
        }),
      ),
    )
  } finally {
    opts.signal?.removeEventListener('abort', onOuterAbort)
  }

  const snapshotDir = snapshotPath(cfg, repo, info.commit)
  for (const f of files) link(blobOf(f), path.join(snapshotDir, f.path))
  if (!isCommitHash(revision)) {
    const ref = path.join(repoDir, 'refs', revision)
    fs.mkdirSync(path.dirname(ref), { recursive: true })
    fs.writeFileSync(ref, info.commit)
  }
  progress.state = 'done'
  progress.etaSeconds = 0
  emit(true)
  return { plan, snapshotDir }
}

/** A blob's bytes so far: whole, its .incomplete part, or none. */
export function bytesOnDisk(blob: string, size: number): number {
  if (fs.existsSync(blob)) return size
  const partial = `${blob}.incomplete`
  return fs.existsSync(partial) ? Math.min(size, fs.statSync(partial).size) : 0
}

/** Deletes a repo's partial files (a cancel, as opposed to a pause). */
export function discardPartials(cfg: HubConfig, repo: string): void {
  const blobs = path.join(cfg.cacheDir, repoFolderName(repo), 'blobs')
  if (!fs.existsSync(blobs)) return
  for (const f of fs.readdirSync(blobs)) {
    if (f.endsWith('.incomplete')) fs.rmSync(path.join(blobs, f), { force: true })
  }
}
