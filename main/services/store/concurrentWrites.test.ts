import { execFile } from 'node:child_process'
import { createRequire } from 'node:module'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { openDatabase, SessionStore } from '.'
import { makeTempDir } from './testing/tempDir'

const run = promisify(execFile)
const tsx = pathToFileURL(createRequire(__filename).resolve('tsx')).href
const writer = path.join(__dirname, 'testing', 'concurrentWriter.ts')
let temp: ReturnType<typeof makeTempDir>

beforeEach(() => (temp = makeTempDir()))
afterEach(() => temp.cleanup())

it('300 concurrent writes from two processes all succeed', async () => {
  const file = path.join(temp.dir, 'glassbox.db')
  openDatabase(file).close()
  const startAt = String(Date.now() + 3000)
  const client = (who: string) =>
    run(process.execPath, ['--import', tsx, writer, file, who, '150', startAt]).then(
      (r) => JSON.parse(r.stdout) as { ok: number; failed: number; errors: string[] },
    )
  const results = await Promise.all([client('A'), client('B')])
  for (const r of results) expect(r.errors).toEqual([])
  expect(results.map((r) => r.ok)).toEqual([150, 150])
  const db = openDatabase(file)
  const store = new SessionStore(db)
  const total = store.listSessions().reduce((n, s) => n + store.listMessages(s.id).length, 0)
  expect(total).toBe(300)
  db.close()
})
