// The hub's settings end to end against the stand-in hub: a saved token (0600, never sent
// back or logged), HTTPS_PROXY/NO_PROXY, another cache folder, and downloads left unfinished
// by a stop that resume after the next start.
import crypto from 'node:crypto'
import fs from 'node:fs'
import http from 'node:http'
import net from 'node:net'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { writeFixtureModel } from '../../../../native-models/io'
import type { DownloadProgress } from '../../../contract/hub'
import { type ChatFixture, createChatFixture } from '../../chat/testing'
import { createHubDomain } from './domain'
import { searchModels } from './hubClient'
import { HubTokenStore } from './hubToken'
import { startTestHub, type TestHub } from './testHub'

let hub: TestHub
let src: string
const repo = 'test-org/tiny-llama'
const gated = 'test-org/gated-llama'
const fast = { tries: 3, baseDelayMs: 5, maxDelayMs: 10 }

beforeAll(async () => {
  const f = createChatFixture()
  src = path.join(f.dataDir, 'tiny')
  await writeFixtureModel(src, { arch: 'llama' })
  hub = await startTestHub([
    { id: repo, dir: src, downloads: 3 },
    { id: gated, dir: src, gated: true },
  ])
})

afterAll(() => hub.close())

function setup(
  env: Record<string, string> = {},
  opts: { fixture?: ChatFixture; cipher?: boolean } = {},
) {
  const f = opts.fixture ?? createChatFixture()
  const cipher = opts.cipher
    ? {
        // A stand-in for safeStorage: reversible, and the token is not in the file.
        encrypt: (s: string) => Buffer.from(s, 'utf8').reverse(),
        decrypt: (b: Buffer) => Buffer.from(b).reverse().toString('utf8'),
      }
    : undefined
  const tokens = new HubTokenStore(f.dataDir, cipher)
  const { handlers, downloads } = createHubDomain({
    registry: f.registry,
    bus: f.bus,
    env: {
      HF_ENDPOINT: hub.url,
      HF_HOME: path.join(f.dataDir, 'hf-home'),
      HOME: f.dataDir,
      ...env,
    },
    settings: f.store,
    tokens,
    retry: fast,
  })
  const progress = () =>
    f.events
      .filter((e) => e.event === 'hub.downloadProgress')
      .map((e) => e.payload as DownloadProgress)
  return { f, tokens, handlers, downloads, progress }
}

describe('a token saved in settings', () => {
  it('opens a gated repo, is stored 0600 and never comes back or gets logged', async () => {
    const logged: string[] = []
    const spies = (['log', 'error', 'warn', 'info', 'debug'] as const).map((k) =>
      vi.spyOn(console, k).mockImplementation((...a: unknown[]) => void logged.push(a.join(' '))),
    )
    try {
      const { handlers, tokens } = setup()
      const replies: unknown[] = []
      replies.push(await handlers['hub.settings']())
      expect(replies[0]).toMatchObject({ tokenSource: 'none', tokenSaved: false })
      await expect(handlers['hub.plan']({ repo: gated })).rejects.toMatchObject({
        code: 'unauthorized',
      })
      // A file left readable by others (an older copy, a restore) is replaced, not reused.
      fs.writeFileSync(tokens.file, '{}', { mode: 0o644 })
      replies.push(await handlers['hub.saveToken']({ token: ` ${hub.token}\n` }))
      expect(replies[1]).toMatchObject({ tokenSource: 'saved', tokenSaved: true })
      expect(fs.statSync(tokens.file).mode & 0o777).toBe(0o600)
      const before = hub.requests.length
      replies.push(await handlers['hub.plan']({ repo: gated }))
      expect(replies[2]).toMatchObject({ repo: gated, gated: true, runnable: true })
      const sent = hub.requests.slice(before)
      expect(sent.length).toBeGreaterThan(0)
      expect(sent.every((r) => r.authorization === `Bearer ${hub.token}`)).toBe(true)
      replies.push(await handlers['hub.clearToken']())
      expect(replies[3]).toMatchObject({ tokenSource: 'none', tokenSaved: false })
      expect(fs.existsSync(tokens.file)).toBe(false)
      for (const r of replies) expect(JSON.stringify(r)).not.toContain(hub.token)
      expect(logged.join('\n')).not.toContain(hub.token)
    } finally {
      for (const s of spies) s.mockRestore()
    }
  })

  it('HF_TOKEN comes first, then the saved token, then HF_HOME/token', async () => {
    const { f, handlers } = setup({ HF_TOKEN: 'hf_from_env' })
    await handlers['hub.saveToken']({ token: hub.token })
    expect((await handlers['hub.settings']()).tokenSource).toBe('env')
    await expect(handlers['hub.plan']({ repo: gated })).rejects.toMatchObject({
      code: 'unauthorized',
    })
    const home = path.join(f.dataDir, 'hf-home')
    fs.mkdirSync(home, { recursive: true })
    fs.writeFileSync(path.join(home, 'token'), 'hf_from_cli\n')
    const noEnv = setup({}, { fixture: f })
    expect((await noEnv.handlers['hub.settings']()).tokenSource).toBe('saved')
    await noEnv.handlers['hub.clearToken']()
    expect((await noEnv.handlers['hub.settings']()).tokenSource).toBe('hf-home')
    const elsewhere = path.join(f.dataDir, 'elsewhere-token')
    fs.writeFileSync(elsewhere, hub.token)
    const viaPath = setup({ HF_TOKEN_PATH: elsewhere }, { fixture: f })
    expect((await viaPath.handlers['hub.plan']({ repo: gated })).gated).toBe(true)
  })

  it('is sealed by the cipher the app hands in, and a bad token is refused', async () => {
    const { handlers, tokens } = setup({}, { cipher: true })
    const s = await handlers['hub.saveToken']({ token: hub.token })
    expect(s).toMatchObject({ tokenSaved: true, tokenEncrypted: true, tokenSource: 'saved' })
    expect(fs.readFileSync(tokens.file, 'utf8')).not.toContain(hub.token)
    expect((await handlers['hub.plan']({ repo: gated })).gated).toBe(true)
    await expect(handlers['hub.saveToken']({ token: 'two words' })).rejects.toMatchObject({
      code: 'bad_request',
    })
    // Without the cipher (the CLI, browser mode) the sealed token reads as none.
    expect(new HubTokenStore(path.dirname(tokens.file)).read()).toBeUndefined()
  })
})

/** A forward proxy on 127.0.0.1 that counts what it carries (CONNECT and plain requests). */
async function startProxy() {
  let count = 0
  // Tunnels leave the server's bookkeeping: closing must end them itself.
  const tunnels = new Set<net.Socket>()
  const server = http.createServer((req, res) => {
    count++
    const target = new URL(req.url ?? '')
    const up = http.request(target, { method: req.method, headers: req.headers }, (upRes) => {
      res.writeHead(upRes.statusCode ?? 502, upRes.headers)
      upRes.pipe(res)
    })
    up.on('error', () => res.destroy())
    req.pipe(up)
  })
  server.on('connect', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
    count++
    tunnels.add(socket)
    const [host, port] = (req.url ?? '').split(':')
    const up = net.connect(Number(port), host, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      up.write(head)
      up.pipe(socket)
      socket.pipe(up)
    })
    up.on('error', () => socket.destroy())
    socket.on('error', () => up.destroy())
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    count: () => count,
    close: () =>
      new Promise<void>((r) => {
        for (const t of tunnels) t.destroy()
        server.closeAllConnections()
        server.close(() => r())
      }),
  }
}

describe('HTTPS_PROXY / HTTP_PROXY / NO_PROXY', () => {
  it('sends hub requests through the proxy unless NO_PROXY names the host', async () => {
    const proxy = await startProxy()
    try {
      const via = setup({ HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url })
      expect((await via.handlers['hub.settings']()).proxy).toBe(true)
      const seen = hub.requests.length
      expect((await via.handlers['hub.search']({ query: 'tiny' })).map((h) => h.repo)).toEqual([
        repo,
      ])
      expect(proxy.count()).toBeGreaterThan(0)
      expect(hub.requests.length).toBeGreaterThan(seen)
      // Downloads go through it too.
      const counted = proxy.count()
      via.handlers['hub.download']({ repo })
      await via.downloads.settled(repo)
      expect(via.downloads.list()[0]).toMatchObject({ state: 'done' })
      expect(proxy.count()).toBeGreaterThan(counted)
      const bypass = proxy.count()
      const direct = setup({ HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1' })
      expect(await direct.handlers['hub.search']({ query: 'tiny' })).toHaveLength(1)
      expect(proxy.count()).toBe(bypass)
      // Without any proxy variable, nothing changes.
      expect(
        await searchModels({ endpoint: hub.url, cacheDir: '/nonexistent' }, 'tiny'),
      ).toHaveLength(1)
      expect(proxy.count()).toBe(bypass)
    } finally {
      await proxy.close()
    }
  })
})

function sha256(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex')
}

describe('another hub cache folder', () => {
  it('is where pulls write and discovery looks, over HF_HUB_CACHE', async () => {
    const { f, handlers, downloads } = setup({ HF_HUB_CACHE: '/nonexistent/env-cache' })
    expect(await handlers['hub.settings']()).toMatchObject({
      cacheDir: '/nonexistent/env-cache',
      cacheDirSource: 'env',
    })
    const picked = path.join(f.dataDir, 'picked-cache')
    expect(await handlers['hub.setCacheDir']({ path: picked })).toMatchObject({
      cacheDir: picked,
      cacheDirSource: 'setting',
    })
    await expect(handlers['hub.setCacheDir']({ path: 'relative/dir' })).rejects.toMatchObject({
      code: 'bad_request',
    })
    handlers['hub.download']({ repo })
    await downloads.settled(repo)
    const id = downloads.list()[0].modelId!
    const entry = f.registry.get(id)
    expect(entry.path.startsWith(path.join(picked, 'models--test-org--tiny-llama'))).toBe(true)
    f.registry.remove(id)
    expect(handlers['models.discover']().map((d) => [d.source, d.name])).toEqual([
      ['hf-cache', repo],
    ])
    expect(await handlers['hub.setCacheDir']({ path: null })).toMatchObject({
      cacheDirSource: 'env',
    })
    expect(handlers['models.discover']()).toEqual([])
  })
})

describe('downloads left unfinished by a stop', () => {
  it('are listed paused after the next start and resume with Range to matching files', async () => {
    const first = setup()
    hub.throttle(150_000)
    first.handlers['hub.download']({ repo })
    await vi.waitFor(() => expect(first.progress().at(-1)?.doneBytes).toBeGreaterThan(40_000), {
      timeout: 10_000,
      interval: 20,
    })
    // The service stops (app quit or killed): nothing but what is on disk and in the database.
    first.downloads.stopAll()
    await first.downloads.settled(repo)
    const onDisk = first.progress().at(-1)!.doneBytes

    const second = setup({}, { fixture: first.f })
    const listed = second.handlers['hub.downloads']()
    expect(listed).toHaveLength(1)
    expect(listed[0]).toMatchObject({ repo, state: 'paused', error: null })
    expect(listed[0].doneBytes).toBeGreaterThanOrEqual(onDisk - 64 * 1024)
    expect(listed[0].doneBytes).toBeGreaterThan(0)
    expect(listed[0].totalBytes).toBeGreaterThan(listed[0].doneBytes)

    hub.throttle(0)
    const before = hub.requests.length
    second.handlers['hub.download']({ repo })
    await second.downloads.settled(repo)
    const done = second.downloads.list()[0]
    expect(done.state).toBe('done')
    expect(hub.requests.slice(before).some((r) => r.range?.startsWith('bytes='))).toBe(true)
    const snapshot = second.f.registry.get(done.modelId!).path
    for (const file of hub.files(repo)) {
      expect(sha256(path.join(snapshot, file.path))).toBe(file.sha256)
    }
    // Finished: a third start lists nothing.
    expect(setup({}, { fixture: first.f }).handlers['hub.downloads']()).toEqual([])
  })
})
