import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { backupNow, listBackups, restoreNewest, setAside } from './backup'
import {
  DamagedDatabaseError,
  EmptyDatabaseError,
  NotADatabaseError,
  openDatabase,
} from './database'
import { DatabaseTooNewError } from './migrate'
import { makeTempDir } from './testing/tempDir'

let cleanup: () => void = () => {}
afterEach(() => cleanup())

function tempDir(): string {
  const temp = makeTempDir()
  cleanup = temp.cleanup
  return temp.dir
}

function snapshot(file: string) {
  const bytes = fs.readFileSync(file)
  return {
    sha: createHash('sha256').update(bytes).digest('hex'),
    size: bytes.length,
    mtimeMs: fs.statSync(file).mtimeMs,
  }
}

describe('openDatabase', () => {
  it('refuses a file that is not SQLite and leaves it untouched', () => {
    const dir = tempDir()
    const file = path.join(dir, 'glassbox.db')
    fs.writeFileSync(file, 'These are my notes, not a database.\n'.repeat(200))
    const before = snapshot(file)
    expect(() => openDatabase(file)).toThrow(NotADatabaseError)
    expect(() => openDatabase(file)).toThrow(/is not a SQLite database/)
    expect(snapshot(file)).toEqual(before)
    expect(fs.readdirSync(dir)).toEqual(['glassbox.db'])
  })

  it('refuses a file that starts like SQLite but is not', () => {
    const dir = tempDir()
    const file = path.join(dir, 'glassbox.db')
    fs.writeFileSync(file, Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.alloc(100, 7)]))
    const before = snapshot(file)
    expect(() => openDatabase(file)).toThrow(NotADatabaseError)
    expect(snapshot(file)).toEqual(before)
  })

  it('refuses a database from a newer version and leaves it untouched', () => {
    const dir = tempDir()
    const file = path.join(dir, 'glassbox.db')
    const newer = new Database(file)
    newer.exec('CREATE TABLE from_the_future (x); INSERT INTO from_the_future VALUES (42)')
    newer.pragma('user_version = 9999')
    newer.close()
    const before = snapshot(file)
    expect(() => openDatabase(file)).toThrow(DatabaseTooNewError)
    expect(() => openDatabase(file)).toThrow(/newer Glassbox \(schema version 9999/)
    expect(snapshot(file)).toEqual(before)
    expect(fs.readdirSync(dir)).toEqual(['glassbox.db'])
    const check = new Database(file, { readonly: true })
    expect(check.prepare('SELECT x FROM from_the_future').get()).toEqual({ x: 42 })
    check.close()
  })

  it('refuses a damaged database before writing to it, naming it and the way out', () => {
    const dir = tempDir()
    const file = path.join(dir, 'glassbox.db')
    const db = openDatabase(file)
    db.exec('CREATE TABLE notes (body TEXT)')
    const insert = db.prepare('INSERT INTO notes VALUES (?)')
    for (let i = 0; i < 200; i++) insert.run(`note ${i} `.repeat(100))
    backupNow(db, file)
    db.close()
    // A few pages of garbage in the middle of the file, as a failing disk leaves them.
    const fd = fs.openSync(file, 'r+')
    fs.writeSync(fd, Buffer.alloc(3 * 4096, 0xa5), 0, 3 * 4096, 20 * 4096)
    fs.closeSync(fd)
    const before = snapshot(file)
    const entries = fs.readdirSync(dir).sort()
    let thrown: unknown
    try {
      openDatabase(file)
    } catch (err) {
      thrown = err
    }
    expect(thrown).toBeInstanceOf(DamagedDatabaseError)
    const message = (thrown as Error).message
    expect(message).toContain(file)
    expect(message).toContain('glassbox db restore')
    expect(message).toContain('glassbox db fresh')
    // Byte-identical, and no -wal/-shm left beside it.
    expect(snapshot(file)).toEqual(before)
    expect(fs.readdirSync(dir).sort()).toEqual(entries)

    // Restore: the copy is back, the damaged file kept under a dated name.
    const { keptAs } = restoreNewest(file)
    expect(keptAs).toMatch(/glassbox\.db\.damaged-\d{8}-\d{6}$/)
    expect(snapshot(keptAs!).sha).toBe(before.sha)
    const restored = openDatabase(file)
    expect(restored.prepare('SELECT count(*) AS n FROM notes').get()).toEqual({ n: 200 })
    restored.close()
  })

  it('refuses an empty file instead of making it a new database', () => {
    const dir = tempDir()
    const file = path.join(dir, 'glassbox.db')
    fs.writeFileSync(file, '')
    expect(() => openDatabase(file)).toThrow(EmptyDatabaseError)
    expect(() => openDatabase(file)).toThrow(file)
    expect(fs.statSync(file).size).toBe(0)
    expect(fs.readdirSync(dir)).toEqual(['glassbox.db'])
    // Start fresh: the empty file is kept aside, the next start makes a new database.
    const aside = setAside(file)
    expect(fs.existsSync(aside)).toBe(true)
    openDatabase(file).close()
  })

  it('copies the database before a migration changes it', () => {
    const file = path.join(tempDir(), 'glassbox.db')
    const one = { version: 1, up: (d: Database.Database) => d.exec('CREATE TABLE a (x)') }
    const two = { version: 2, up: (d: Database.Database) => d.exec('CREATE TABLE b (x)') }
    openDatabase(file, { migrations: [one] }).close()
    expect(listBackups(file)).toHaveLength(0)
    openDatabase(file, { migrations: [one, two] }).close()
    const [copy] = listBackups(file)
    const old = new Database(copy.path, { readonly: true })
    expect(old.pragma('user_version', { simple: true })).toBe(1)
    old.close()
  })

  it('creates the folder and the file when they do not exist', () => {
    const file = path.join(tempDir(), 'a', 'b', 'glassbox.db')
    const db = openDatabase(file)
    expect(fs.existsSync(file)).toBe(true)
    db.close()
  })
})
