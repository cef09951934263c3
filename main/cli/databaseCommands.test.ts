import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, expect, it, vi } from 'vitest'
import { main } from '../cli'
import { DATABASE_FILE, openDatabase, SessionStore } from '../services/store'
import { makeTempDir } from '../services/store/testing/tempDir'

let temp: ReturnType<typeof makeTempDir>
afterEach(() => {
  vi.restoreAllMocks()
  temp.cleanup()
})

function capture(): { out: () => string; err: () => string } {
  let out = ''
  let err = ''
  vi.spyOn(console, 'log').mockImplementation((...a) => void (out += a.join(' ') + '\n'))
  vi.spyOn(console, 'error').mockImplementation((...a) => void (err += a.join(' ') + '\n'))
  return { out: () => out, err: () => err }
}

const sha = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex')

/** A database with a chat, an automatic backup (taken by the second open), then damaged. */
function damagedDatabase(): string {
  temp = makeTempDir()
  const file = path.join(temp.dir, DATABASE_FILE)
  let db = openDatabase(file)
  new SessionStore(db).createSession('Kept in the backup')
  db.close()
  db = openDatabase(file) // the daily copy: there is none yet
  const store = new SessionStore(db)
  for (let i = 0; i < 100; i++) store.createSession(`chat ${i} `.repeat(40))
  db.close()
  const fd = fs.openSync(file, 'r+')
  const size = fs.statSync(file).size
  fs.writeSync(fd, Buffer.alloc(8192, 0x5a), 0, 8192, Math.floor(size / 8192) * 4096)
  fs.closeSync(fd)
  return file
}

it('a damaged database: refused with its path, left byte-identical, restored by a command', async () => {
  const file = damagedDatabase()
  const before = sha(file)
  const io = capture()
  expect(await main(['sessions', 'list', '--data-dir', temp.dir])).toBe(1)
  expect(io.err()).toContain(`The database ${file} is damaged`)
  expect(io.err()).toContain('glassbox db restore --data-dir')
  expect(sha(file)).toBe(before)
  expect(await main(['db', 'check', '--data-dir', temp.dir])).toBe(1)
  expect(sha(file)).toBe(before)

  expect(await main(['db', 'restore', '--data-dir', temp.dir])).toBe(0)
  expect(io.out()).toMatch(/kept as .*glassbox\.db\.damaged-\d{8}-\d{6}/)
  const kept = fs.readdirSync(temp.dir).find((n) => n.includes('.damaged-'))!
  expect(sha(path.join(temp.dir, kept))).toBe(before)
  expect(await main(['sessions', 'list', '--data-dir', temp.dir])).toBe(0)
  expect(io.out()).toContain('Kept in the backup')
})

it('db fresh starts a new database and keeps the damaged one under a dated name', async () => {
  const file = damagedDatabase()
  const before = sha(file)
  const io = capture()
  expect(await main(['db', 'fresh', '--data-dir', temp.dir])).toBe(0)
  const kept = fs.readdirSync(temp.dir).find((n) => n.includes('.damaged-'))!
  expect(sha(path.join(temp.dir, kept))).toBe(before)
  expect(await main(['sessions', 'list', '--data-dir', temp.dir])).toBe(0)
  expect(io.out()).toContain('No chats yet.')
})
