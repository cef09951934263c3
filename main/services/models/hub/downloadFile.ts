// One file from the hub into a blob of the cache, as huggingface_hub's http_get does: into
// <blob>.incomplete, resumed with Range, then renamed. What @huggingface/hub's
// downloadFileToCacheDir lacks and we add: the resume, the SHA-256 checked while streaming,
// retries on 5xx/429/drops, progress per chunk and cancel.
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { ApiError } from '../../../contract/define'
import type { HubConfig } from './hubConfig'
import {
  authHeaders,
  backoffMs,
  cancelled,
  defaultRetry,
  httpFetch,
  hubError,
  isRetryable,
  networkError,
  retryAfterMs,
  type RetryPolicy,
  sleep,
} from './hubFetch'

export interface FileRequest {
  repo: string
  /** The commit, so every file comes from one revision. */
  commit: string
  path: string
  size: number
  /** The LFS oid: checked while streaming. Plain git files have none. */
  sha256: string | null
  blob: string
}

export interface FileHeaders {
  commit: string | null
  etag: string | null
  size: number | null
}

function stripEtag(v: string | null): string | null {
  return v ? v.replace(/^W\//, '').replace(/^"|"$/g, '') : null
}

/** Follows the hub's redirects by hand so the first response's headers can be read. */
async function open(
  cfg: HubConfig,
  url: string,
  range: number,
  signal: AbortSignal | undefined,
  first: (h: FileHeaders) => void,
): Promise<Response> {
  const send = httpFetch(cfg)
  for (let hop = 0; hop < 10; hop++) {
    const headers: Record<string, string> = { ...authHeaders(cfg, url) }
    if (range > 0) headers.Range = `bytes=${range}-`
    const res = await send(url, { headers, redirect: 'manual', signal })
    if (hop === 0) {
      first({
        commit: res.headers.get('x-repo-commit'),
        etag: stripEtag(res.headers.get('x-linked-etag') ?? res.headers.get('etag')),
        size: Number(res.headers.get('x-linked-size') ?? res.headers.get('content-length')) || null,
      })
    }
    const location = res.headers.get('location')
    if (res.status >= 300 && res.status < 400 && location) {
      await res.body?.cancel()
      url = new URL(location, url).href
      continue
    }
    return res
  }
  throw new ApiError('unavailable', `${url}: too many redirects.`)
}

class Corrupt extends Error {}

/** Hashes what is already in the .incomplete file, so a resumed file is checked whole. */
async function hashPrefix(file: string, bytes: number): Promise<crypto.Hash> {
  const hash = crypto.createHash('sha256')
  if (bytes === 0) return hash
  for await (const chunk of fs.createReadStream(file, { end: bytes - 1 }))
    hash.update(chunk as Buffer)
  return hash
}

function diskFull(err: unknown, req: FileRequest, have: number): ApiError | null {
  if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') return null
  const mib = ((req.size - have) / 2 ** 20).toFixed(1)
  return new ApiError(
    'unavailable',
    `The disk is full while writing ${req.path}: ${mib} MiB more are needed in ${path.dirname(req.blob)}. The part fetched is kept and resumes once space is free.`,
  )
}

async function attempt(
  cfg: HubConfig,
  req: FileRequest,
  signal: AbortSignal | undefined,
  onBytes: (n: number) => void,
): Promise<void> {
  const partial = `${req.blob}.incomplete`
  let have = fs.existsSync(partial) ? fs.statSync(partial).size : 0
  if (have > req.size) {
    fs.rmSync(partial)
    have = 0
  }
  const url = `${cfg.endpoint}/${req.repo}/resolve/${req.commit}/${req.path.split('/').map(encodeURIComponent).join('/')}`
  let headers: FileHeaders | null = null
  const res = await open(cfg, url, have, signal, (h) => (headers = h))
  const h = headers as FileHeaders | null
  if (h?.commit && h.commit !== req.commit) {
    throw new ApiError(
      'conflict',
      `${req.repo} changed while downloading ${req.path}; start again.`,
    )
  }
  if (res.status === 416 && have === req.size) {
    await res.body?.cancel()
  } else if (!res.ok) {
    await res.body?.cancel().catch(() => undefined)
    throw Object.assign(hubError(res, `${req.repo}/${req.path}`, req.repo), {
      retryable: isRetryable(res.status),
      waitMs: retryAfterMs(res),
    })
  } else {
    if (res.status === 200 && have > 0) {
      // The server ignored the Range: start the file over.
      fs.truncateSync(partial, 0)
      onBytes(-have)
      have = 0
    }
    const hash = req.sha256 ? await hashPrefix(partial, have) : null
    const out = await fs.promises.open(partial, have > 0 ? 'a' : 'w')
    try {
      if (!res.body) throw new ApiError('unavailable', `${req.path}: empty response.`)
      for await (const chunk of res.body) {
        const buf = chunk as Uint8Array
        hash?.update(buf)
        try {
          await out.write(buf)
        } catch (err) {
          throw diskFull(err, req, have) ?? err
        }
        have += buf.length
        onBytes(buf.length)
      }
    } finally {
      await out.close()
    }
    if (have !== req.size) throw new Error(`${req.path}: got ${have} of ${req.size} bytes`)
    if (hash && hash.digest('hex') !== req.sha256) throw new Corrupt(req.path)
  }
  fs.renameSync(partial, req.blob)
}

/**
 * Fetches one file into its blob. Drops, 5xx and 429 are retried (resuming); a checksum
 * mismatch discards the file and fetches it once more, then fails naming the file.
 */
export async function downloadFile(
  cfg: HubConfig,
  req: FileRequest,
  opts: { signal?: AbortSignal; onBytes?: (n: number) => void; retry?: RetryPolicy } = {},
): Promise<void> {
  const policy = opts.retry ?? defaultRetry
  const onBytes = opts.onBytes ?? (() => undefined)
  fs.mkdirSync(path.dirname(req.blob), { recursive: true })
  let corruptions = 0
  for (let tries = 0; ; tries++) {
    if (opts.signal?.aborted) throw cancelled()
    try {
      await attempt(cfg, req, opts.signal, onBytes)
      return
    } catch (err) {
      if (opts.signal?.aborted) throw cancelled()
      if (err instanceof Corrupt) {
        const partial = `${req.blob}.incomplete`
        onBytes(-fs.statSync(partial).size)
        fs.rmSync(partial, { force: true })
        if (++corruptions > 1) {
          throw new ApiError(
            'unavailable',
            `${req.repo}/${req.path} failed its SHA-256 check twice (expected ${req.sha256}); it was discarded.`,
          )
        }
        continue
      }
      const e = err as { retryable?: boolean; waitMs?: number }
      const isApi = err instanceof ApiError
      if (isApi && !e.retryable) throw err
      if (tries + 1 >= policy.tries) {
        throw isApi ? err : networkError(err, cfg.endpoint)
      }
      await sleep(e.waitMs ?? backoffMs(policy, tries), opts.signal)
    }
  }
}
