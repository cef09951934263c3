import fs from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, expect, it, vi } from 'vitest'
import { main } from '../cli'
import { openDatabase, DATABASE_FILE, SessionStore } from '../services/store'
import { makeTempDir } from '../services/store/testing/tempDir'

let temp: ReturnType<typeof makeTempDir>
let sessionId: number

beforeEach(() => {
  temp = makeTempDir()
  const db = openDatabase(path.join(temp.dir, DATABASE_FILE))
  const store = new SessionStore(db)
  store.createSession('Older')
  const s = store.createSession('Recipes')
  sessionId = s.id
  const q = store.addMessage({ sessionId: s.id, role: 'user', content: 'Bread **quickly**?' })
  store.addMessage({
    sessionId: s.id,
    role: 'assistant',
    parentId: q.id,
    content: 'Use `yeast`.',
    stats: { modelName: 'tiny-gpt', completionTokens: 4, tokensPerSecond: 12.345 },
  })
  db.close()
})

afterEach(() => {
  vi.restoreAllMocks()
  temp.cleanup()
})

function captureStdout(): () => string {
  let out = ''
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out += String(chunk)
    return true
  })
  vi.spyOn(console, 'log').mockImplementation((...args) => {
    out += args.join(' ') + '\n'
  })
  return () => out
}

it('lists sessions newest first', async () => {
  const out = captureStdout()
  expect(await main(['sessions', 'list', '--data-dir', temp.dir, '--json'])).toBe(0)
  const sessions = JSON.parse(out())
  expect(sessions.map((s: { title: string }) => s.title)).toEqual(['Recipes', 'Older'])
})

it('exports a session as JSON and as Markdown', async () => {
  const file = path.join(temp.dir, 'out.json')
  vi.spyOn(console, 'error').mockImplementation(() => {})
  const args = ['sessions', 'export', String(sessionId), '--data-dir', temp.dir]
  expect(await main([...args, '--format', 'json', '--out', file])).toBe(0)
  const doc = JSON.parse(fs.readFileSync(file, 'utf8'))
  expect(doc.session.title).toBe('Recipes')
  expect(doc.messages.map((m: { content: string }) => m.content)).toEqual([
    'Bread **quickly**?',
    'Use `yeast`.',
  ])
  expect(doc.messages[1].stats.modelName).toBe('tiny-gpt')

  const out = captureStdout()
  expect(await main([...args, '--format', 'md'])).toBe(0)
  const md = out()
  expect(md).toMatch(/^# Recipes\n/)
  expect(md).toMatch(/## You · .*\n\nBread \*\*quickly\*\*\?/)
  expect(md).toContain('## Model · ')
  expect(md).toContain('tiny-gpt · 4 tokens · 12.3 tokens/s')
})

it('fails clearly on a bad id, format or command', async () => {
  const errors: string[] = []
  vi.spyOn(console, 'error').mockImplementation((...a) => void errors.push(a.join(' ')))
  vi.spyOn(console, 'log').mockImplementation(() => {})
  expect(await main(['sessions', 'export', '999', '--data-dir', temp.dir])).toBe(1)
  expect(errors.join('\n')).toMatch(/no session 999/)
  expect(await main(['sessions', 'export', '1', '--format', 'pdf', '--data-dir', temp.dir])).toBe(2)
  expect(await main(['sessions', 'export', '--data-dir', temp.dir])).toBe(2)
  expect(await main(['nonsense'])).toBe(2)
  expect(await main(['sessions', 'list', '--bogus'])).toBe(1)
})
