import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { NotADatabaseError, openDatabase } from './database'
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

  it('creates the folder and the file when they do not exist', () => {
    const file = path.join(tempDir(), 'a', 'b', 'glassbox.db')
    const db = openDatabase(file)
    expect(fs.existsSync(file)).toBe(true)
    db.close()
  })
})
