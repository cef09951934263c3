import fs from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { WS_CLOSE_UNAUTHORIZED } from '../contract/channels'
import { createServices, type Services } from '../services'
import { makeTempDir } from '../services/store/testing/tempDir'
import { startHost, type Host } from './server'

let temp: ReturnType<typeof makeTempDir>
let services: Services
let host: Host

beforeEach(async () => {
  temp = makeTempDir()
  const rendererDir = path.join(temp.dir, 'renderer')
  fs.mkdirSync(path.join(rendererDir, 'assets'), { recursive: true })
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>GB</title>')
  fs.writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log(1)')
  fs.writeFileSync(path.join(temp.dir, 'secret.txt'), 'outside the renderer')
  services = createServices({ dataDir: path.join(temp.dir, 'data'), mode: 'browser' })
  host = await startHost({ dispatch: services.dispatch, bus: services.bus, rendererDir })
})

afterEach(async () => {
  await host.close()
  services.close()
  temp.cleanup()
})

interface Reply {
  status: number
  body: string
  headers: http.IncomingHttpHeaders
}

function get(pathAndQuery: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      { host: '127.0.0.1', port: host.port, path: pathAndQuery, headers },
      (res) => {
        let body = ''
        res.on('data', (chunk) => (body += chunk))
        res.on('end', () => resolve({ status: res.statusCode!, body, headers: res.headers }))
      },
    )
    req.on('error', reject)
  })
}

function socket(token: string | null): WebSocket {
  const query = token === null ? '' : `?token=${encodeURIComponent(token)}`
  return new WebSocket(`ws://127.0.0.1:${host.port}/api${query}`)
}

function opened(ws: WebSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
  })
}

function closed(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) =>
    ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  )
}

/** Collects frames; `next(pred)` resolves with the first (past or future) that matches. */
function frames(ws: WebSocket) {
  const seen: Record<string, unknown>[] = []
  const waiters: { pred: (f: Record<string, unknown>) => boolean; resolve(f: unknown): void }[] = []
  ws.on('message', (data) => {
    const frame = JSON.parse(String(data)) as Record<string, unknown>
    seen.push(frame)
    for (const w of [...waiters]) {
      if (w.pred(frame)) {
        waiters.splice(waiters.indexOf(w), 1)
        w.resolve(frame)
      }
    }
  })
  return {
    next(pred: (f: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
      const hit = seen.find(pred)
      if (hit) return Promise.resolve(hit)
      return new Promise((resolve) => waiters.push({ pred, resolve: resolve as never }))
    },
  }
}

describe('browser-mode host', () => {
  it('prints a URL on 127.0.0.1 with a long random token', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${host.token}`)
    expect(host.token.length).toBeGreaterThanOrEqual(32)
  })

  it('refuses the page without the token or with a wrong one (401)', async () => {
    const refused = await get('/')
    expect(refused.status).toBe(401)
    // Said in both of the interface's languages: no page has loaded to know which.
    expect(refused.body).toMatch(/needs its token[\s\S]*缺少令牌/)
    expect((await get('/?token=wrong')).status).toBe(401)
    expect((await get('/assets/app.js')).status).toBe(401)
    expect((await get(`/?token=${host.token}x`)).status).toBe(401)
  })

  it('serves the app with the token, then its assets with the cookie it set', async () => {
    const page = await get(`/?token=${host.token}`)
    expect(page.status).toBe(200)
    expect(page.body).toContain('<title>GB</title>')
    expect(page.headers['content-security-policy']).toContain("script-src 'self'")
    const cookie = String(page.headers['set-cookie']).split(';')[0]
    const asset = await get('/assets/app.js', { cookie })
    expect(asset.status).toBe(200)
    expect(asset.headers['content-type']).toContain('javascript')
  })

  it('its cookie, which other 127.0.0.1 ports also receive, carries no API access', async () => {
    const page = await get(`/?token=${host.token}`)
    const cookie = String(page.headers['set-cookie']).split(';')[0]
    const [name, value] = cookie.split('=')
    // Named after this port, and not the token: a server on another port that receives it
    // learns nothing it can call the API with.
    expect(name).toBe(`glassbox_assets_${host.port}`)
    expect(cookie).not.toContain(host.token)
    for (const ws of [
      new WebSocket(`ws://127.0.0.1:${host.port}/api`, { headers: { cookie } }),
      socket(value),
    ]) {
      const got: unknown[] = []
      ws.on('message', (m) => got.push(m))
      ws.on('open', () => ws.send(JSON.stringify({ id: 1, method: 'sessions.list', input: {} })))
      expect((await closed(ws)).code).toBe(WS_CLOSE_UNAUTHORIZED)
      expect(got).toEqual([])
    }
    // Nor does it open the page itself (which is where a token would be taken from).
    expect((await get(`/?token=${value}`)).status).toBe(401)
  })

  it('never serves a file outside the renderer folder', async () => {
    const q = `?token=${host.token}`
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/../../secret.txt']) {
      const reply = await get(p + q)
      expect(reply.status).toBe(404)
      expect(reply.body).not.toContain('outside the renderer')
    }
  })

  it('refuses another Host header (DNS rebinding)', async () => {
    const reply = await get(`/?token=${host.token}`, { host: `evil.example:${host.port}` })
    expect(reply.status).toBe(403)
  })

  it('closes a socket with a missing or wrong token and answers nothing', async () => {
    for (const token of [null, 'wrong', '']) {
      const ws = socket(token)
      const got: unknown[] = []
      ws.on('message', (m) => got.push(m))
      ws.on('open', () => ws.send(JSON.stringify({ id: 1, method: 'sessions.list', input: {} })))
      const { code } = await closed(ws)
      expect(code).toBe(WS_CLOSE_UNAUTHORIZED)
      expect(got).toEqual([])
    }
    expect(services.store.listSessions()).toEqual([])
  })

  it('answers system.computeHealth from the compute process over the socket', async () => {
    const ws = socket(host.token)
    const f = frames(ws)
    await opened(ws)
    ws.send(JSON.stringify({ id: 1, method: 'system.computeHealth', input: {} }))
    const reply = await f.next((x) => x.id === 1)
    expect(reply).toMatchObject({ ok: true, value: { ok: true, starts: 1 } })
    expect((reply.value as { pid: number }).pid).not.toBe(process.pid)
    ws.close()
  })

  it('refuses a socket from a page of another origin', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/api?token=${host.token}`, {
      origin: 'http://evil.example',
    })
    const status = await new Promise<number>((resolve) =>
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode!)),
    )
    expect(status).toBe(403)
  })

  it('answers calls, and malformed frames with typed errors, on one living socket', async () => {
    const ws = socket(host.token)
    const f = frames(ws)
    await opened(ws)
    ws.send('this is not json')
    expect(await f.next((x) => x.id === null)).toEqual({
      id: null,
      ok: false,
      error: { code: 'bad_request', message: 'The frame is not JSON.' },
    })
    ws.send(JSON.stringify({ id: 7, method: 42 }))
    expect(await f.next((x) => x.id === 7)).toMatchObject({
      ok: false,
      error: { code: 'bad_request' },
    })
    ws.send(JSON.stringify([1, 2, 3]))
    ws.send('null')
    ws.send(Buffer.from([0xff, 0xfe, 0x00]))
    ws.send(JSON.stringify({ id: 8, method: 'sessions.rename', input: { id: 'x' } }))
    const bad = await f.next((x) => x.id === 8)
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad_request' } })
    expect(String((bad.error as { message: string }).message)).toMatch(/^sessions.rename: id:/)

    // Still alive: a real call works and its event reaches the socket.
    ws.send(JSON.stringify({ id: 9, method: 'sessions.create', input: { title: 'Hi' } }))
    expect(await f.next((x) => x.id === 9)).toMatchObject({ ok: true, value: { title: 'Hi' } })
    expect(await f.next((x) => x.event === 'sessions.changed')).toMatchObject({
      payload: { change: 'created' },
    })
    ws.close()
  })

  it('forwards bus events to every connected client', async () => {
    const a = socket(host.token)
    const b = socket(host.token)
    const fa = frames(a)
    const fb = frames(b)
    await Promise.all([opened(a), opened(b)])
    const session = services.store.createSession('x')
    services.bus.emit('sessions.changed', { sessionId: session.id, change: 'renamed' })
    for (const f of [fa, fb]) {
      expect(await f.next((x) => x.event === 'sessions.changed')).toEqual({
        event: 'sessions.changed',
        payload: { sessionId: session.id, change: 'renamed' },
      })
    }
    a.close()
    b.close()
  })
})
