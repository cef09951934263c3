import { describe, expect, it } from 'vitest'
import { ApiCallError, createApiClient, type CallResult, type Transport } from './client'

/** A transport that answers from a table and lets the test push events. */
function tableTransport(answers: Record<string, CallResult>) {
  let listener: (event: string, payload: unknown) => void = () => {}
  const transport: Transport = {
    request: async (method) =>
      answers[method] ?? { ok: false, error: { code: 'bad_request', message: 'no' } },
    subscribe: (l) => {
      listener = l
      return () => {}
    },
  }
  return { transport, push: (event: string, payload: unknown) => listener(event, payload) }
}

describe('createApiClient', () => {
  it('returns values and throws typed errors', async () => {
    const { transport } = tableTransport({
      'system.health': { ok: true, value: { ok: true, version: '1', mode: 'browser' } },
      'sessions.get': {
        ok: false,
        error: { code: 'not_found', message: 'There is no session 9.' },
      },
    })
    const api = createApiClient(transport)
    expect(await api.call('system.health', {})).toEqual({ ok: true, version: '1', mode: 'browser' })
    const err = await api.call('sessions.get', { id: 9 }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ApiCallError)
    expect(err).toMatchObject({ code: 'not_found', method: 'sessions.get' })
  })

  it('delivers events to their listeners until they unsubscribe', () => {
    const { transport, push } = tableTransport({})
    const api = createApiClient(transport)
    const seen: unknown[] = []
    const off = api.on('sessions.changed', (p) => seen.push(p))
    push('sessions.changed', { sessionId: 1, change: 'created' })
    push('messages.added', { message: {} })
    off()
    push('sessions.changed', { sessionId: 2, change: 'created' })
    expect(seen).toEqual([{ sessionId: 1, change: 'created' }])
  })
})
