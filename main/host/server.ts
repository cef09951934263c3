import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { WebSocketServer, type WebSocket } from 'ws'
import { WS_CLOSE_UNAUTHORIZED, WS_PATH } from '../contract/channels'
import type { CallContext, Dispatch } from '../contract/router'
import { RequestFrame, type EventFrame, type ResponseFrame } from '../contract/transport'
import type { EventBus } from '../services/eventBus'
import { contentType, resolveStatic } from './staticFiles'

export interface HostOptions {
  dispatch: Dispatch
  bus: EventBus
  rendererDir: string
  port?: number
  token?: string
}

export interface Host {
  url: string
  port: number
  token: string
  close(): Promise<void>
}

// Cookies are not bound to a port: every server on 127.0.0.1 receives this one. So it holds
// not the API token but a key derived from it that opens only the page's static assets (the
// public build), and is named after the port so two instances do not overwrite each other.
// The API (the WebSocket) takes the token itself, which only the page's own URL carries.
const cookieName = (port: number): string => `glassbox_assets_${port}`
const assetKey = (token: string): string =>
  createHmac('sha256', token).update('glassbox static assets').digest('base64url')
const MAX_FRAME_BYTES = 64 * 1024 * 1024

// The page's policy. connect-src names the socket's origin, as 'self' does not cover ws: in
// every browser.
function csp(port: number): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`,
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ')
}

function sameToken(given: string | null | undefined, token: string): boolean {
  if (!given) return false
  const a = Buffer.from(given)
  const b = Buffer.from(token)
  return a.length === b.length && timingSafeEqual(a, b)
}

function cookieValue(header: string | undefined, cookie: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=')
    if (name === cookie) return rest.join('=')
  }
  return null
}

function send(socket: WebSocket, frame: ResponseFrame | EventFrame): void {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame))
}

/**
 * Browser mode: serves the built renderer and carries the contract's router over a WebSocket,
 * on 127.0.0.1 only, guarded by a random token (in the printed URL; the page's assets load
 * with a cookie derived from it that opens nothing else).
 */
export async function startHost(options: HostOptions): Promise<Host> {
  const token = options.token ?? randomBytes(24).toString('base64url')
  let port = 0
  const allowedHosts = () => [`127.0.0.1:${port}`, `localhost:${port}`]

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    // A page on another site that resolves its own name to 127.0.0.1 (DNS rebinding) is refused.
    if (!allowedHosts().includes(req.headers.host ?? '')) {
      res.writeHead(403, { 'content-type': 'text/plain' }).end('Forbidden host.\n')
      return
    }
    const queryToken = url.searchParams.get('token')
    const cookie = cookieValue(req.headers.cookie, cookieName(port))
    if (!sameToken(queryToken, token) && !sameToken(cookie, assetKey(token))) {
      res
        .writeHead(401, { 'content-type': 'text/plain; charset=utf-8' })
        // Before any page loads there is no language choice to read: both of the app's languages.
        .end(
          'Glassbox: this link needs its token. Open the URL that Glassbox printed.\n' +
            'Glassbox：此链接缺少令牌。请打开 Glassbox 启动时打印的完整网址。\n',
        )
      return
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end()
      return
    }
    const file = resolveStatic(options.rendererDir, url.pathname)
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found.\n')
      return
    }
    res.writeHead(200, {
      'content-type': contentType(file),
      'content-security-policy': csp(port),
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': file.endsWith('.html') ? 'no-store' : 'private, max-age=3600',
      'set-cookie': `${cookieName(port)}=${assetKey(token)}; HttpOnly; SameSite=Strict; Path=/`,
    })
    if (req.method === 'HEAD') res.end()
    else fs.createReadStream(file).pipe(res)
  })

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES })
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const hostOk = allowedHosts().includes(req.headers.host ?? '')
    const origin = req.headers.origin
    // Browsers always send Origin; a page from elsewhere may not talk to the API.
    const originOk = !origin || allowedHosts().some((h) => origin === `http://${h}`)
    if (url.pathname !== WS_PATH || !hostOk || !originOk) {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n')
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      // Accept, then close with a code the page can explain ("the token is wrong").
      // The token only: the asset cookie, which other local ports also receive, opens no API.
      const given = url.searchParams.get('token')
      if (!sameToken(given, token)) {
        ws.close(WS_CLOSE_UNAUTHORIZED, 'unauthorized: missing or wrong token')
        return
      }
      wss.emit('connection', ws, req)
    })
  })

  wss.on('connection', (ws: WebSocket) => {
    const ctx: CallContext = {
      emit: (event, payload) => send(ws, { event, payload }),
    }
    ws.on('message', async (data, isBinary) => {
      let raw: unknown
      try {
        raw = JSON.parse(isBinary ? Buffer.from(data as Buffer).toString('utf8') : String(data))
      } catch {
        send(ws, {
          id: null,
          ok: false,
          error: { code: 'bad_request', message: 'The frame is not JSON.' },
        })
        return
      }
      const frame = RequestFrame.safeParse(raw)
      if (!frame.success) {
        const id = (raw as { id?: unknown } | null)?.id
        send(ws, {
          id: typeof id === 'number' || typeof id === 'string' ? id : null,
          ok: false,
          error: {
            code: 'bad_request',
            message: 'A request frame is {"id": number|string, "method": string, "input": ...}.',
          },
        })
        return
      }
      const { id, method, input } = frame.data
      try {
        send(ws, { id, ...(await options.dispatch(method, input, ctx)) })
      } catch (err) {
        // The router answers every error itself; this only guards the process against a bug.
        const message = err instanceof Error ? err.message : String(err)
        send(ws, { id, ok: false, error: { code: 'internal', message } })
      }
    })
    ws.on('error', () => ws.terminate())
  })

  const unsubscribe = options.bus.on((event, payload) => {
    const frame = JSON.stringify({ event, payload })
    for (const client of wss.clients) if (client.readyState === client.OPEN) client.send(frame)
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  port = (server.address() as AddressInfo).port

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    close: async () => {
      unsubscribe()
      for (const client of wss.clients) client.terminate()
      wss.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
