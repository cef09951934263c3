import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { openDatabase, SessionStore } from '.'
import { makeTempDir } from './testing/tempDir'

const tsx = pathToFileURL(createRequire(__filename).resolve('tsx')).href
const writer = path.join(__dirname, 'testing', 'concurrentWriter.ts')
let temp: ReturnType<typeof makeTempDir>

beforeEach(() => (temp = makeTempDir()))
afterEach(() => temp.cleanup())

interface WriterResult {
  ok: number
  errors: string[]
  exit: string
}

/** One writer process; its outcome as plain data, whatever happens to it. */
function client(file: string, who: string, startAt: number): Promise<WriterResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [
      '--import',
      tsx,
      writer,
      file,
      who,
      '150',
      String(startAt),
    ])
    let out = ''
    let err = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    child.on('close', (code, signal) => {
      const exit = `code ${code} signal ${signal}`
      try {
        const r = JSON.parse(out) as { ok: number; errors: string[] }
        resolve({ ok: r.ok, errors: r.errors, exit })
      } catch {
        resolve({ ok: 0, errors: [`no result; stderr: ${err.slice(0, 500)}`], exit })
      }
    })
  })
}

it('300 concurrent writes from two processes all succeed', async () => {
  const file = path.join(temp.dir, 'glassbox.db')
  openDatabase(file).close()
  const startAt = Date.now() + 3000
  const results = await Promise.all([client(file, 'A', startAt), client(file, 'B', startAt)])
  expect(results).toEqual([
    { ok: 150, errors: [], exit: 'code 0 signal null' },
    { ok: 150, errors: [], exit: 'code 0 signal null' },
  ])
  const db = openDatabase(file)
  const store = new SessionStore(db)
  const total = store.listSessions().reduce((n, s) => n + store.listMessages(s.id).length, 0)
  expect(total).toBe(300)
  db.close()
})
