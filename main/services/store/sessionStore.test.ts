import Database from 'better-sqlite3'
import { beforeEach, describe, expect, it } from 'vitest'
import { migrate } from './migrate'
import { migrations } from './migrations'
import { SessionStore, toFtsQuery } from './sessionStore'

let db: Database.Database
let store: SessionStore
let clock: number

beforeEach(() => {
  db = new Database(':memory:')
  db.pragma('foreign_keys = ON')
  migrate(db, migrations)
  clock = 1000
  store = new SessionStore(db, () => clock++)
})

function titles(hits: { session: { title: string } }[]): string[] {
  return hits.map((h) => h.session.title)
}

describe('SessionStore', () => {
  it('creates, renames, lists newest first and deletes sessions', () => {
    const a = store.createSession('Alpha')
    const b = store.createSession()
    expect(b.title).toBe('New chat')
    store.renameSession(b.id, '  Beta  ')
    expect(store.listSessions().map((s) => s.title)).toEqual(['Beta', 'Alpha'])
    // A new message makes its session the newest.
    store.addMessage({ sessionId: a.id, role: 'user', content: 'hi' })
    expect(store.listSessions().map((s) => [s.title, s.messageCount])).toEqual([
      ['Alpha', 1],
      ['Beta', 0],
    ])
    expect(store.deleteSession(a.id)).toBe(true)
    expect(store.deleteSession(a.id)).toBe(false)
    expect(() => store.getSession(a.id)).toThrow(/no session/)
    expect(db.prepare('SELECT COUNT(*) AS n FROM messages').get()).toEqual({ n: 0 })
  })

  it('keeps messages in order with their generation stats', () => {
    const s = store.createSession('Stats')
    const question = store.addMessage({ sessionId: s.id, role: 'user', content: 'Why?' })
    const answer = store.addMessage({
      sessionId: s.id,
      role: 'assistant',
      content: 'Because.',
      parentId: question.id,
      status: 'streaming',
      stats: { modelName: 'tiny', params: { temperature: 0.7 }, promptTokens: 12 },
    })
    const done = store.updateMessage(answer.id, {
      status: 'complete',
      stats: { completionTokens: 3, tokensPerSecond: 41.5, timeToFirstTokenMs: 120 },
    })
    expect(done.stats).toEqual({
      modelId: null,
      modelName: 'tiny',
      params: { temperature: 0.7 },
      promptTokens: 12,
      completionTokens: 3,
      tokensPerSecond: 41.5,
      timeToFirstTokenMs: 120,
    })
    expect(store.listMessages(s.id).map((m) => [m.role, m.parentId, m.status])).toEqual([
      ['user', null, 'complete'],
      ['assistant', question.id, 'complete'],
    ])
    expect(question.stats).toBeNull()
  })

  it('marks replies left streaming as interrupted', () => {
    const s = store.createSession()
    store.addMessage({ sessionId: s.id, role: 'assistant', content: 'half a', status: 'streaming' })
    expect(store.markUnfinishedInterrupted()).toBe(1)
    expect(store.listMessages(s.id)[0].status).toBe('interrupted')
  })

  it('refuses a parent from another session', () => {
    const a = store.createSession()
    const b = store.createSession()
    const m = store.addMessage({ sessionId: a.id, role: 'user', content: 'x' })
    expect(() =>
      store.addMessage({ sessionId: b.id, role: 'user', content: 'y', parentId: m.id }),
    ).toThrow(/own session/)
  })

  it('stores settings as JSON', () => {
    expect(store.getSetting('theme')).toBeUndefined()
    store.setSetting('theme', { dark: true })
    store.setSetting('theme', { dark: false })
    expect(store.getSetting('theme')).toEqual({ dark: false })
  })
})

describe('search', () => {
  beforeEach(() => {
    const cooking = store.createSession('Cooking')
    store.addMessage({ sessionId: cooking.id, role: 'user', content: 'How long to boil an egg?' })
    const physics = store.createSession('Physics 100% fun')
    store.addMessage({ sessionId: physics.id, role: 'user', content: 'Explain entropy, please.' })
    store.addMessage({
      sessionId: physics.id,
      role: 'assistant',
      content: 'Entropy counts states.',
    })
    const cafe = store.createSession('Trip')
    store.addMessage({ sessionId: cafe.id, role: 'user', content: 'The café near the station' })
  })

  it('finds titles by substring, any case', () => {
    expect(titles(store.searchSessions('PHYS'))).toEqual(['Physics 100% fun'])
    // LIKE wildcards in the query are literal.
    expect(titles(store.searchSessions('100%'))).toEqual(['Physics 100% fun'])
    expect(titles(store.searchSessions('_'))).toEqual([])
  })

  it('finds message text by word prefix, with a snippet', () => {
    const hits = store.searchSessions('boi')
    expect(titles(hits)).toEqual(['Cooking'])
    expect(hits[0].matchedIn).toBe('content')
    expect(hits[0].snippet).toContain('boil')
    expect(titles(store.searchSessions('entropy states'))).toEqual(['Physics 100% fun'])
    expect(titles(store.searchSessions('entropy egg'))).toEqual([])
  })

  it('ignores accents', () => {
    expect(titles(store.searchSessions('cafe'))).toEqual(['Trip'])
  })

  it('treats FTS5 syntax in the query as text', () => {
    for (const q of ['"', 'egg"', 'AND', 'boil OR', '(', 'NEAR(egg', '*', 'col:egg', "'"]) {
      expect(() => store.searchSessions(q)).not.toThrow()
    }
    expect(toFtsQuery('say "hi" now')).toBe('"say"* "hi"* "now"*')
    expect(toFtsQuery('  ...  ')).toBeNull()
  })

  it('follows edits and deletions', () => {
    const [egg] = store.searchSessions('egg')
    const messageId = egg.messageId!
    store.updateMessage(messageId, { content: 'How long to fry a potato?' })
    expect(store.searchSessions('egg')).toEqual([])
    expect(titles(store.searchSessions('potato'))).toEqual(['Cooking'])
    store.deleteSession(egg.session.id)
    expect(store.searchSessions('potato')).toEqual([])
    expect(
      db.prepare(`INSERT INTO messages_fts(messages_fts) VALUES ('integrity-check')`).run(),
    ).toBeTruthy()
  })

  it('returns nothing for an empty query', () => {
    expect(store.searchSessions('   ')).toEqual([])
  })
})
