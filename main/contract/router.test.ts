import { describe, expect, it } from 'vitest'
import { ApiError } from './define'
import { methods } from './index'
import { createRouter, type CallContext, type Handlers } from './router'

const ctx: CallContext = { emit: () => {} }

const session = {
  id: 1,
  title: 'A',
  createdAt: 1,
  updatedAt: 1,
  messageCount: 0,
  source: 'app' as const,
}

// Handlers that answer from fixed values: the router, not the services, is under test here.
function handlers(overrides: Partial<Handlers> = {}): Handlers {
  // Partial: other domains add methods that this test does not call.
  const base: Partial<Handlers> = {
    'system.health': () => ({ ok: true, version: '0', mode: 'cli' }),
    'system.computeHealth': () => ({
      ok: true,
      pid: 1,
      uptimeMs: 0,
      rssBytes: 0,
      node: 'v0',
      starts: 1,
    }),
    'sessions.create': ({ title }) => ({ ...session, title: title ?? 'New chat' }),
    'sessions.rename': ({ id, title }) => ({ ...session, id, title }),
    'sessions.delete': () => ({ deleted: true }),
    'sessions.get': ({ id }) => {
      throw new ApiError('not_found', `There is no session ${id}.`)
    },
    'sessions.list': () => ({ sessions: [session] }),
    'sessions.search': () => ({ hits: [] }),
    'sessions.export': () => ({ filename: 'a.md', mimeType: 'text/markdown', content: '# A' }),
    'messages.list': () => ({ messages: [] }),
    'messages.add': () => {
      throw new Error('disk on fire')
    },
  }
  return { ...base, ...overrides } as Handlers
}

describe('router', () => {
  const dispatch = createRouter(handlers())

  it('dispatches a valid call and validates its output', async () => {
    expect(await dispatch('sessions.rename', { id: 3, title: ' B ' }, ctx)).toEqual({
      ok: true,
      value: { ...session, id: 3, title: 'B' },
    })
    expect(await dispatch('system.health', undefined, ctx)).toMatchObject({ ok: true })
  })

  it('refuses an unknown method with a typed error', async () => {
    expect(await dispatch('sessions.explode', {}, ctx)).toEqual({
      ok: false,
      error: { code: 'bad_request', message: 'Unknown method "sessions.explode".' },
    })
    // Names from Object.prototype are not methods.
    expect(await dispatch('toString', {}, ctx)).toMatchObject({ error: { code: 'bad_request' } })
  })

  it.each([
    ['missing fields', 'sessions.rename', {}, /id: .*; title: /],
    ['wrong types', 'sessions.rename', { id: '1', title: 5 }, /id: .*expected number/],
    ['a non-object input', 'sessions.delete', 'x', /input: .*expected object/],
    ['an empty title', 'sessions.rename', { id: 1, title: '   ' }, /title cannot be empty/],
    ['a negative id', 'messages.list', { sessionId: -1 }, /sessionId/],
    ['an empty message', 'messages.add', { sessionId: 1, content: '' }, /cannot be empty/],
  ])('refuses %s with bad_request', async (_name, method, input, message) => {
    const result = await dispatch(method, input, ctx)
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.error.code).toBe('bad_request')
    expect(result.error.message).toMatch(message)
  })

  it('passes ApiErrors through and turns other throws into internal errors', async () => {
    expect(await dispatch('sessions.get', { id: 7 }, ctx)).toEqual({
      ok: false,
      error: { code: 'not_found', message: 'There is no session 7.' },
    })
    expect(await dispatch('messages.add', { sessionId: 1, content: 'x' }, ctx)).toEqual({
      ok: false,
      error: { code: 'internal', message: 'disk on fire' },
    })
  })

  it('reports a handler that returns the wrong shape', async () => {
    const bad = createRouter(
      handlers({ 'sessions.list': () => ({ sessions: [{ id: 'nope' }] }) as never }),
    )
    const result = await bad('sessions.list', {}, ctx)
    expect(result).toMatchObject({ ok: false, error: { code: 'internal' } })
  })

  it('has a schema for every method input and output', () => {
    for (const [name, spec] of Object.entries(methods)) {
      expect(name).toMatch(/^[a-z][A-Za-z0-9]*\.[a-z][A-Za-z0-9]*$/)
      expect(typeof spec.input.safeParse).toBe('function')
      expect(typeof spec.output.safeParse).toBe('function')
    }
  })
})
