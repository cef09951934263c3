import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterEach, expect, it } from 'vitest'
import { openDatabase } from './database'
import { SessionStore } from './sessionStore'
import { makeTempDir } from './testing/tempDir'

let cleanup: () => void = () => {}
afterEach(() => cleanup())

const TSX = pathToFileURL(createRequire(__filename).resolve('tsx')).href
const WRITER = path.join(__dirname, 'testing', 'crashWriter.ts')

/** Runs the writer until it has committed `atLeast` messages, then SIGKILLs it mid-write. */
function writeThenKill(file: string, atLeast: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', TSX, WRITER, file], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const committed: number[] = []
    let buffered = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString()
      const lines = buffered.split('\n')
      buffered = lines.pop()!
      for (const line of lines) {
        const match = /^committed (\d+)$/.exec(line)
        if (match) committed.push(Number(match[1]))
      }
      if (committed.length >= atLeast && child.signalCode === null) child.kill('SIGKILL')
    })
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(committed)
      else reject(new Error(`The writer exited with ${code} before it was killed:\n${stderr}`))
    })
  })
}

it('keeps every committed message and a sound file when the writer is SIGKILLed', async () => {
  const temp = makeTempDir()
  cleanup = temp.cleanup
  const file = path.join(temp.dir, 'glassbox.db')

  // Twice on the same file: recovery after a kill must itself survive the next kill.
  const first = await writeThenKill(file, 300)
  const second = await writeThenKill(file, 300)
  expect(first.length).toBeGreaterThanOrEqual(300)

  const db = openDatabase(file)
  expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
  expect(db.pragma('foreign_key_check')).toEqual([])
  const ids = new Set(
    (db.prepare('SELECT id FROM messages').all() as { id: number }[]).map((r) => r.id),
  )
  const missing = [...first, ...second].filter((id) => !ids.has(id))
  expect(missing).toEqual([])
  // The search index agrees with the table it indexes.
  expect(() =>
    db.prepare(`INSERT INTO messages_fts (messages_fts) VALUES ('integrity-check')`).run(),
  ).not.toThrow()
  const store = new SessionStore(db)
  expect(store.listSessions()).toHaveLength(2)
  db.close()
})
