import { WS_CLOSE_UNAUTHORIZED, WS_PATH } from '../../../main/contract/channels'
import type { CallResult, Transport } from './client'
import type { ConnectionStatus } from './connection'

interface Pending {
  resolve(result: CallResult): void
}

/**
 * Browser mode: calls as `{id, method, input}` frames over one WebSocket, answers as
 * `{id, ok, value|error}`, events as `{event, payload}`. Reconnects after a drop (a host
 * restart); calls made while disconnected wait for the link, and calls lost in a drop fail
 * with code 'unavailable'.
 */
export function createWsTransport(url: string, status: ConnectionStatus): Transport {
  const pending = new Map<number, Pending>()
  const listeners = new Set<(event: string, payload: unknown) => void>()
  const queue: string[] = []
  let nextId = 1
  let socket: WebSocket | null = null
  let retryMs = 250

  function connect(): void {
    const ws = new WebSocket(url)
    socket = ws
    ws.onopen = () => {
      retryMs = 250
      status.set('open')
      for (const frame of queue.splice(0)) ws.send(frame)
    }
    ws.onmessage = (message) => {
      let frame: { id?: unknown; ok?: boolean; event?: unknown; payload?: unknown }
      try {
        frame = JSON.parse(String(message.data))
      } catch {
        return
      }
      if (typeof frame.event === 'string') {
        for (const listener of listeners) listener(frame.event, frame.payload)
        return
      }
      if (typeof frame.id !== 'number') return
      const call = pending.get(frame.id)
      if (!call) return
      pending.delete(frame.id)
      call.resolve(frame as unknown as CallResult)
    }
    ws.onclose = (event) => {
      socket = null
      for (const [id, call] of pending) {
        pending.delete(id)
        call.resolve({
          ok: false,
          error: { code: 'unavailable', message: 'The connection to Glassbox was lost.' },
        })
      }
      if (event.code === WS_CLOSE_UNAUTHORIZED) {
        status.set('unauthorized')
        return
      }
      status.set('reconnecting')
      setTimeout(connect, retryMs)
      retryMs = Math.min(retryMs * 2, 4000)
    }
  }
  connect()

  return {
    request(method, input) {
      if (status.state === 'unauthorized') {
        return Promise.resolve({
          ok: false,
          error: { code: 'unauthorized', message: 'This page has no valid Glassbox token.' },
        })
      }
      const id = nextId++
      const frame = JSON.stringify({ id, method, input })
      return new Promise<CallResult>((resolve) => {
        pending.set(id, { resolve })
        if (socket?.readyState === WebSocket.OPEN) socket.send(frame)
        else queue.push(frame)
      })
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => {
        listeners.delete(listener)
      }
    },
  }
}

/** The socket URL of the page's own host, with the token the page was opened with. */
export function socketUrlFromLocation(location: Location): string {
  const token = new URLSearchParams(location.search).get('token') ?? ''
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:'
  return `${scheme}//${location.host}${WS_PATH}?token=${encodeURIComponent(token)}`
}
