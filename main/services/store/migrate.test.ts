import path from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase } from './database'
import {
  DatabaseTooNewError,
  latestVersion,
  migrate,
  schemaVersion,
  type Migration,
} from './migrate'
import { migrations } from './migrations'
import { SessionStore } from './sessionStore'
import { makeTempDir } from './testing/tempDir'

let cleanup: () => void = () => {}
afterEach(() => cleanup())

function tempFile(): string {
  const temp = makeTempDir()
  cleanup = temp.cleanup
  return path.join(temp.dir, 'glassbox.db')
}

function tables(db: Database.Database): string[] {
  return (
    db.prepare(`SELECT name FROM sqlite_master WHERE type IN ('table') ORDER BY name`).all() as {
      name: string
    }[]
  ).map((r) => r.name)
}

describe('migrations', () => {
  it('have distinct, increasing versions', () => {
    const versions = migrations.map((m) => m.version)
    expect(new Set(versions).size).toBe(versions.length)
    expect(versions.every((v) => Number.isInteger(v) && v > 0)).toBe(true)
  })

  it('build the whole schema where there is no file yet', () => {
    const file = tempFile()
    const db = openDatabase(file)
    expect(schemaVersion(db)).toBe(latestVersion(migrations))
    expect(tables(db)).toEqual(expect.arrayContaining(['sessions', 'messages', 'settings']))
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
    db.close()
  })

  // From every earlier version: build the schema up to it, write data the way that version
  // could, then open with the app's migrations. The data must survive and be searchable.
  const earlier = [...migrations].sort((a, b) => a.version - b.version).slice(0, -1)
  for (const stop of [0, ...earlier.map((m) => m.version)]) {
    it(`upgrade a database at version ${stop} and keep its data`, () => {
      const file = tempFile()
      const old = new Database(file)
      migrate(
        old,
        migrations.filter((m) => m.version <= stop),
      )
      expect(schemaVersion(old)).toBe(stop)
      // A version-0 file still holds something: an empty one is refused (database.test.ts).
      if (stop === 0) old.exec('CREATE TABLE keepsake (x)')
      if (stop >= 1) {
        old
          .prepare('INSERT INTO sessions (id, title, created_at, updated_at) VALUES (1, ?, 1, 1)')
          .run('Old chat')
        old
          .prepare(
            `INSERT INTO messages (session_id, role, content, created_at, updated_at)
             VALUES (1, 'user', 'written before the upgrade about pelicans', 1, 1)`,
          )
          .run()
      }
      old.close()

      const db = openDatabase(file)
      expect(schemaVersion(db)).toBe(latestVersion(migrations))
      const store = new SessionStore(db)
      if (stop >= 1) {
        expect(store.listSessions().map((s) => s.title)).toEqual(['Old chat'])
        const hits = store.searchSessions('pelican')
        expect(hits.map((h) => h.session.title)).toEqual(['Old chat'])
      }
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
      db.close()
    })
  }

  it('point messages written by name at the registry row, keeping the name', () => {
    const file = tempFile()
    const old = new Database(file)
    migrate(
      old,
      migrations.filter((m) => m.version < 55),
    )
    old.exec(`
      INSERT INTO sessions (id, title, created_at, updated_at) VALUES (1, 'Old chat', 1, 1);
      INSERT INTO models (id, path, name, model_type, architecture, size_bytes, dtype,
        context_length, has_chat_template, added_at)
        VALUES (7, '/m/tiny', 'tiny', 'gpt2', 'GPT2LMHeadModel', 1, 'float32', 64, 0, 1);
      INSERT INTO messages (session_id, role, content, model_id, created_at, updated_at)
        VALUES (1, 'assistant', 'by tiny', 'tiny', 1, 1), (1, 'assistant', 'by gone', 'gone', 1, 1);
    `)
    old.close()
    const db = openDatabase(file)
    const [byTiny, byGone] = new SessionStore(db).listMessages(1)
    expect([byTiny.stats?.modelId, byTiny.stats?.modelName]).toEqual([7, 'tiny'])
    expect([byGone.stats?.modelId, byGone.stats?.modelName]).toEqual([null, 'gone'])
    db.close()
  })

  it('roll a failing migration back whole, version included', () => {
    const file = tempFile()
    const db = new Database(file)
    const broken: Migration[] = [
      migrations[0],
      {
        version: 99,
        up(d) {
          d.exec('CREATE TABLE half_done (x INTEGER)')
          throw new Error('boom')
        },
      },
    ]
    expect(() => migrate(db, broken)).toThrow('boom')
    expect(schemaVersion(db)).toBe(migrations[0].version)
    expect(tables(db)).not.toContain('half_done')
    db.close()
  })

  it('refuse two migrations with one version', () => {
    const db = new Database(':memory:')
    expect(() => migrate(db, [migrations[0], { ...migrations[0] }])).toThrow(/share version/)
    db.close()
  })

  it('refuse a database newer than they know', () => {
    const db = new Database(':memory:')
    db.pragma('user_version = 500')
    expect(() => migrate(db, migrations)).toThrow(DatabaseTooNewError)
    db.close()
  })
})
