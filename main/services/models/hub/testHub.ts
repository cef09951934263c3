// A stand-in for huggingface.co on 127.0.0.1, for tests only: the routes Glassbox calls, with
// the hub's headers (quoted ETags, X-Repo-Commit, X-Linked-Etag/Size, a 302 for LFS files),
// its error shapes (X-Error-Code GatedRepo / RepoNotFound, 429 Retry-After) and faults to
// inject (slow bodies, dropped connections, a corrupted byte).
import crypto from 'node:crypto'
import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'

export interface TestRepo {
  id: string
  /** A folder whose files (not sub-folders) the repo serves. */
  dir: string
  commit?: string
  gated?: boolean
  downloads?: number
  license?: string
}

interface RepoFile {
  path: string
  size: number
  sha256: string
  gitSha: string
  lfs: boolean
}

export interface Fault {
  /** Answers this status (500, 429 ...) instead of serving. */
  status?: number
  retryAfterSeconds?: number
  /** Sends this many body bytes, then destroys the socket. */
  dropAfterBytes?: number
  /** Flips one byte in the body. */
  corrupt?: boolean
}

export interface LoggedRequest {
  method: string
  url: string
  range?: string
  authorization?: string
}

export interface TestHub {
  url: string
  requests: LoggedRequest[]
  /** The next `times` requests for files whose name ends with `file` get the fault. */
  fault(file: string, fault: Fault, times?: number): void
  /** Bytes per second for file bodies (0: no limit). */
  throttle(bytesPerSecond: number): void
  /** The token a gated repo accepts. */
  token: string
  files(repo: string): RepoFile[]
  close(): Promise<void>
}

const lfsSuffixes = ['.safetensors', '.bin', '.gguf']

function describeFiles(dir: string): RepoFile[] {
  return fs
    .readdirSync(dir)
    .filter((f) => fs.statSync(path.join(dir, f)).isFile())
    .sort()
    .map((f) => {
      const data = fs.readFileSync(path.join(dir, f))
      return {
        path: f,
        size: data.length,
        sha256: crypto.createHash('sha256').update(data).digest('hex'),
        // Git's blob id, as the hub's tree listing gives for every file.
        gitSha: crypto
          .createHash('sha1')
          .update(`blob ${data.length}\0`)
          .update(data)
          .digest('hex'),
        lfs: lfsSuffixes.some((s) => f.endsWith(s)),
      }
    })
}

function json(res: http.ServerResponse, status: number, body: unknown, headers = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers })
  res.end(JSON.stringify(body))
}

export async function startTestHub(repos: TestRepo[]): Promise<TestHub> {
  const token = 'hf_test_token'
  const byId = new Map(
    repos.map((r) => [
      r.id,
      { ...r, commit: r.commit ?? crypto.createHash('sha1').update(r.id).digest('hex') },
    ]),
  )
  const fileCache = new Map<string, RepoFile[]>()
  const filesOf = (id: string) => {
    let f = fileCache.get(id)
    if (!f) fileCache.set(id, (f = describeFiles(byId.get(id)!.dir)))
    return f
  }
  const faults: { file: string; fault: Fault; left: number }[] = []
  let bytesPerSecond = 0
  const requests: LoggedRequest[] = []

  const takeFault = (file: string): Fault | undefined => {
    const i = faults.findIndex((f) => file.endsWith(f.file) && f.left > 0)
    if (i < 0) return undefined
    faults[i].left--
    return faults[i].fault
  }

  const sendBody = (res: http.ServerResponse, body: Buffer, fault: Fault | undefined) => {
    if (fault?.corrupt && body.length > 0) {
      body = Buffer.from(body)
      body[Math.floor(body.length / 2)] ^= 0xff
    }
    const limit = fault?.dropAfterBytes ?? Infinity
    const chunk = bytesPerSecond > 0 ? Math.max(1, Math.floor(bytesPerSecond / 20)) : 64 * 1024
    let offset = 0
    const pump = () => {
      if (res.destroyed) return
      if (offset >= limit) {
        res.socket?.destroy()
        return
      }
      if (offset >= body.length) {
        res.end()
        return
      }
      const end = Math.min(body.length, offset + chunk, limit)
      res.write(body.subarray(offset, end))
      offset = end
      if (bytesPerSecond > 0) setTimeout(pump, 50)
      else setImmediate(pump)
    }
    pump()
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x')
    requests.push({
      method: req.method ?? 'GET',
      url: url.pathname + url.search,
      range: req.headers.range,
      authorization: req.headers.authorization,
    })
    const p = decodeURIComponent(url.pathname)
    const authorized = req.headers.authorization === `Bearer ${token}`
    const repoOf = (id: string) => {
      const repo = byId.get(id)
      if (!repo) {
        json(res, 404, { error: 'Repository not found' }, { 'X-Error-Code': 'RepoNotFound' })
        return undefined
      }
      if (repo.gated && !authorized) {
        json(
          res,
          401,
          { error: `Access to model ${id} is restricted. You must have access to it.` },
          { 'X-Error-Code': 'GatedRepo' },
        )
        return undefined
      }
      return repo
    }

    if (p === '/api/models') {
      const q = (url.searchParams.get('search') ?? '').toLowerCase()
      const limit = Number(url.searchParams.get('limit') ?? 20)
      const hits = [...byId.values()]
        .filter((r) => r.id.toLowerCase().includes(q))
        .sort((a, b) => (b.downloads ?? 0) - (a.downloads ?? 0))
        .slice(0, limit)
        .map((r) => ({
          _id: r.commit.slice(0, 24),
          id: r.id,
          pipeline_tag: 'text-generation',
          private: false,
          gated: r.gated ? 'manual' : false,
          downloads: r.downloads ?? 0,
          likes: 0,
          lastModified: '2026-01-01T00:00:00.000Z',
        }))
      return json(res, 200, hits)
    }
    let m = /^\/api\/models\/([^/]+\/[^/]+)\/revision\/([^/]+)$/.exec(p)
    if (m) {
      const repo = repoOf(m[1])
      if (!repo) return
      const files = filesOf(repo.id)
      const config = files.some((f) => f.path === 'config.json')
        ? (JSON.parse(fs.readFileSync(path.join(repo.dir, 'config.json'), 'utf8')) as {
            model_type?: string
          })
        : {}
      return json(res, 200, {
        _id: repo.commit.slice(0, 24),
        id: repo.id,
        sha: repo.commit,
        private: false,
        gated: repo.gated ? 'manual' : false,
        downloads: repo.downloads ?? 0,
        likes: 0,
        pipeline_tag: 'text-generation',
        lastModified: '2026-01-01T00:00:00.000Z',
        cardData: { license: repo.license ?? 'apache-2.0' },
        config: { model_type: config.model_type },
        siblings: files.map((f) => ({ rfilename: f.path })),
      })
    }
    m = /^\/api\/models\/([^/]+\/[^/]+)\/tree\/([^/]+)$/.exec(p)
    if (m) {
      const repo = repoOf(m[1])
      if (!repo) return
      return json(
        res,
        200,
        filesOf(repo.id).map((f) => ({
          type: 'file',
          oid: f.gitSha,
          size: f.size,
          path: f.path,
          ...(f.lfs ? { lfs: { oid: f.sha256, size: f.size, pointerSize: 134 } } : {}),
        })),
      )
    }
    m = /^\/lfs-cdn\/([^/]+\/[^/]+)\/([0-9a-f]{64})$/.exec(p)
    if (m) {
      const file = filesOf(m[1]).find((f) => f.sha256 === m![2])
      if (!file) return json(res, 404, { error: 'Entry not found' })
      return serveFile(req, res, path.join(byId.get(m[1])!.dir, file.path), file, true)
    }
    m = /^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(p)
    if (m) {
      const repo = repoOf(m[1])
      if (!repo) return
      const file = filesOf(repo.id).find((f) => f.path === m![3])
      if (!file) {
        return json(res, 404, { error: 'Entry not found' }, { 'X-Error-Code': 'EntryNotFound' })
      }
      const common = {
        'X-Repo-Commit': repo.commit,
        ETag: `"${file.lfs ? file.sha256 : file.gitSha}"`,
      }
      if (file.lfs) {
        // As huggingface.co does: the resolve URL redirects LFS files to the CDN.
        res.writeHead(302, {
          ...common,
          'X-Linked-Etag': `"${file.sha256}"`,
          'X-Linked-Size': String(file.size),
          Location: `/lfs-cdn/${repo.id}/${file.sha256}`,
        })
        return res.end()
      }
      res.setHeader('X-Repo-Commit', common['X-Repo-Commit'])
      return serveFile(req, res, path.join(repo.dir, file.path), file, false)
    }
    json(res, 404, { error: `No route ${p}` })
  })

  const serveFile = (
    req: http.IncomingMessage,
    res: http.ServerResponse,
    file: string,
    info: RepoFile,
    lfs: boolean,
  ) => {
    const fault = takeFault(info.path)
    if (fault?.status) {
      const headers: Record<string, string> = {}
      if (fault.retryAfterSeconds !== undefined)
        headers['Retry-After'] = String(fault.retryAfterSeconds)
      return json(res, fault.status, { error: 'injected' }, headers)
    }
    const data = fs.readFileSync(file)
    const etag = `"${lfs ? info.sha256 : info.gitSha}"`
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '')
    if (range) {
      const start = Number(range[1])
      if (start >= data.length) {
        res.writeHead(416, { 'Content-Range': `bytes */${data.length}` })
        return res.end()
      }
      res.writeHead(206, {
        ETag: etag,
        'Content-Length': String(data.length - start),
        'Content-Range': `bytes ${start}-${data.length - 1}/${data.length}`,
      })
      if (req.method === 'HEAD') return res.end()
      return sendBody(res, data.subarray(start), fault)
    }
    res.writeHead(200, { ETag: etag, 'Content-Length': String(data.length) })
    if (req.method === 'HEAD') return res.end()
    sendBody(res, data, fault)
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    token,
    fault: (file, fault, times = 1) => faults.push({ file, fault, left: times }),
    throttle: (b) => {
      bytesPerSecond = b
    },
    files: (id) => filesOf(id),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
