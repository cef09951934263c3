import crypto from 'node:crypto'
import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeFixtureModel } from '../../../../native-models/io'
import type { ApiError } from '../../../contract/define'
import { planDownload, repoInfo, searchModels } from './hubClient'
import type { HubConfig } from './hubConfig'
import { networkError } from './hubFetch'
import { pullModel } from './pull'
import { startTestHub, type TestHub } from './testHub'

const fast = { tries: 4, baseDelayMs: 5, maxDelayMs: 20 }
let root: string
let hub: TestHub
let n = 0

function cfg(extra: Partial<HubConfig> = {}): HubConfig {
  return { endpoint: hub.url, cacheDir: path.join(root, `cache${++n}`), ...extra }
}

function sha256(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex')
}

async function failure(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p
  } catch (err) {
    return err as ApiError
  }
  throw new Error('expected a failure')
}

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'glassbox-hub-'))
  const tiny = path.join(root, 'tiny')
  await writeFixtureModel(tiny, { arch: 'llama' })
  const binOnly = path.join(root, 'binonly')
  fs.mkdirSync(binOnly)
  fs.copyFileSync(path.join(tiny, 'config.json'), path.join(binOnly, 'config.json'))
  fs.copyFileSync(path.join(tiny, 'tokenizer.json'), path.join(binOnly, 'tokenizer.json'))
  fs.writeFileSync(path.join(binOnly, 'pytorch_model.bin'), 'pickle')
  const bert = path.join(root, 'bert')
  fs.cpSync(tiny, bert, { recursive: true })
  fs.writeFileSync(path.join(bert, 'config.json'), JSON.stringify({ model_type: 'bert' }))
  hub = await startTestHub([
    { id: 'test-org/tiny-llama', dir: tiny, downloads: 10 },
    { id: 'test-org/gated-llama', dir: tiny, gated: true },
    { id: 'test-org/bin-only', dir: binOnly },
    { id: 'test-org/tiny-bert', dir: bert },
  ])
})

afterAll(async () => {
  await hub.close()
  fs.rmSync(root, { recursive: true, force: true })
})

describe('hub client against the test hub', () => {
  it('searches by name, most downloaded first', async () => {
    const hits = await searchModels(cfg(), 'llama')
    expect(hits.map((h) => h.repo)).toEqual(['test-org/tiny-llama', 'test-org/gated-llama'])
    expect(hits[1].gated).toBe(true)
  })

  it('writes the huggingface_hub cache layout: blobs by hash, relative links, refs/main', async () => {
    const c = cfg()
    const seen: number[] = []
    const { snapshotDir, plan } = await pullModel(c, 'test-org/tiny-llama', {
      retry: fast,
      onProgress: (p) => seen.push(p.doneBytes),
    })
    const repoDir = path.join(c.cacheDir, 'models--test-org--tiny-llama')
    const tree = hub.files('test-org/tiny-llama')
    expect(fs.readFileSync(path.join(repoDir, 'refs', 'main'), 'utf8')).toBe(plan.commit)
    expect(snapshotDir).toBe(path.join(repoDir, 'snapshots', plan.commit))
    for (const f of tree) {
      const entry = path.join(snapshotDir, f.path)
      const blobName = f.lfs ? f.sha256 : f.gitSha
      expect(fs.readlinkSync(entry)).toBe(path.join('..', '..', 'blobs', blobName))
      expect(sha256(entry)).toBe(f.sha256)
    }
    expect(fs.readdirSync(path.join(repoDir, 'blobs')).some((b) => b.endsWith('.incomplete'))).toBe(
      false,
    )
    // The LFS weights came through the 302 to the CDN path, the token never sent there.
    expect(hub.requests.some((r) => r.url.startsWith('/lfs-cdn/test-org/tiny-llama/'))).toBe(true)
    expect(seen.at(-1)).toBe(plan.totalBytes)
  })

  it('resumes a dropped connection with a Range request and checks the whole file', async () => {
    hub.fault('model.safetensors', { dropAfterBytes: 100_000 })
    const c = cfg()
    const before = hub.requests.length
    const { snapshotDir } = await pullModel(c, 'test-org/tiny-llama', { retry: fast })
    const ranges = hub.requests.slice(before).filter((r) => r.range)
    const start = Number(/^bytes=(\d+)-$/.exec(ranges[0]?.range ?? '')?.[1])
    // The socket dropped after 100,000 bytes: the resume starts where the partial ends.
    expect(start).toBeGreaterThan(0)
    expect(start).toBeLessThanOrEqual(100_000)
    const weights = hub.files('test-org/tiny-llama').find((f) => f.path === 'model.safetensors')!
    expect(sha256(path.join(snapshotDir, 'model.safetensors'))).toBe(weights.sha256)
  })

  it('catches a corrupted byte and fetches the file again', async () => {
    hub.fault('model.safetensors', { corrupt: true })
    const c = cfg()
    const { snapshotDir } = await pullModel(c, 'test-org/tiny-llama', { retry: fast })
    const weights = hub.files('test-org/tiny-llama').find((f) => f.path === 'model.safetensors')!
    expect(sha256(path.join(snapshotDir, 'model.safetensors'))).toBe(weights.sha256)
  })

  it('fails naming the file when it is corrupt twice, and lists no snapshot', async () => {
    hub.fault('model.safetensors', { corrupt: true }, 2)
    const c = cfg()
    const err = await failure(pullModel(c, 'test-org/tiny-llama', { retry: fast }))
    expect(err.message).toMatch(/test-org\/tiny-llama\/model\.safetensors failed its SHA-256/)
    const repoDir = path.join(c.cacheDir, 'models--test-org--tiny-llama')
    expect(fs.existsSync(path.join(repoDir, 'snapshots'))).toBe(false)
  })

  it('waits out 429 Retry-After and 5xx, then succeeds', async () => {
    hub.fault('model.safetensors', { status: 429, retryAfterSeconds: 0 })
    hub.fault('tokenizer.json', { status: 503 })
    await expect(pullModel(cfg(), 'test-org/tiny-llama', { retry: fast })).resolves.toBeTruthy()
  })

  it('says a gated repo is gated, links its page, and downloads with the token', async () => {
    const err = await failure(pullModel(cfg(), 'test-org/gated-llama', { retry: fast }))
    expect(err.code).toBe('unauthorized')
    expect(err.message).toContain(`${hub.url}/test-org/gated-llama`)
    const ok = await pullModel(cfg({ token: hub.token }), 'test-org/gated-llama', { retry: fast })
    expect(fs.existsSync(path.join(ok.snapshotDir, 'model.safetensors'))).toBe(true)
  })

  it('says a repo that does not exist was not found', async () => {
    const err = await failure(pullModel(cfg(), 'test-org/nope', { retry: fast }))
    expect(err.code).toBe('not_found')
    expect(err.message).toMatch(/test-org\/nope was not found/)
  })

  it('refuses a repo with only pickle .bin weights before downloading anything', async () => {
    const before = hub.requests.length
    const err = await failure(pullModel(cfg(), 'test-org/bin-only', { retry: fast }))
    expect(err.code).toBe('unsupported')
    expect(err.message).toMatch(/only PyTorch pickle weights \(\.bin\).*never unpickles/)
    expect(hub.requests.slice(before).some((r) => r.url.includes('/resolve/'))).toBe(false)
  })

  it('refuses an architecture Glassbox does not run', async () => {
    const err = await failure(pullModel(cfg(), 'test-org/tiny-bert', { retry: fast }))
    expect(err.message).toMatch(/model_type "bert" is not supported/)
  })

  it('warns with the estimate when the model is too big for memory, and refuses a full disk', async () => {
    const c = cfg()
    const info = await repoInfo(c, 'test-org/tiny-llama')
    const plan = planDownload(c, info, 'main', { totalMemory: 100_000, freeDisk: 1000 })
    expect(plan.memoryBytes.f32).toBeGreaterThan(100_000)
    expect(plan.warnings[0]).toMatch(/needs about .* GiB of memory at f32/)
    expect(plan.runnable).toBe(false)
    expect(plan.reasons[0]).toMatch(/of disk and .* is free/)
  })

  it('names a refused connection and a name that does not resolve', async () => {
    const closed = http.createServer()
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r))
    const { port } = closed.address() as AddressInfo
    await new Promise((r) => closed.close(r))
    const refused = await failure(
      pullModel(cfg({ endpoint: `http://127.0.0.1:${port}` }), 'a/b', {
        retry: { ...fast, tries: 1 },
      }),
    )
    expect(refused.code).toBe('unavailable')
    expect(refused.message).toMatch(/refused the connection/)
    // A real DNS failure can take the resolver's whole timeout here; undici's error for one:
    const dns = networkError(
      Object.assign(new TypeError('fetch failed'), { cause: { code: 'ENOTFOUND' } }),
      'https://hf-mirror.example/api/models',
    )
    expect(dns.message).toMatch(/does not resolve/)
  })

  it.runIf(fs.existsSync('/dev/full'))(
    'says how much space a full disk needs and keeps the partial',
    async () => {
      const c = cfg()
      const info = await repoInfo(c, 'test-org/tiny-llama')
      const weights = info.files.find((f) => f.path === 'model.safetensors')!
      const blobs = path.join(c.cacheDir, 'models--test-org--tiny-llama', 'blobs')
      fs.mkdirSync(blobs, { recursive: true })
      // Writes to /dev/full fail with ENOSPC, as a full disk does.
      fs.symlinkSync('/dev/full', path.join(blobs, `${weights.sha256}.incomplete`))
      const err = await failure(pullModel(c, 'test-org/tiny-llama', { retry: fast }))
      expect(err.message).toMatch(/disk is full while writing model\.safetensors: 0\.4 MiB more/)
      expect(fs.existsSync(path.join(blobs, `${weights.sha256}.incomplete`))).toBe(true)
    },
  )
})
