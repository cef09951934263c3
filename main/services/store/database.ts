import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import {
  DatabaseTooNewError,
  latestVersion,
  migrate,
  schemaVersion,
  type Migration,
} from './migrate'
import { migrations as appMigrations } from './migrations'

export const DATABASE_FILE = 'glassbox.db'

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1')

export class NotADatabaseError extends Error {
  constructor(readonly file: string) {
    super(
      `${file} is not a SQLite database, so Glassbox will not open it (and has not changed ` +
        `it). Move it away, or start with another --data-dir.`,
    )
    this.name = 'NotADatabaseError'
  }
}

/**
 * Refuses a file that exists and is not SQLite, before SQLite gets a chance to touch it.
 * Returns whether the file holds data.
 */
function checkHeader(file: string): boolean {
  let fd: number
  try {
    fd = fs.openSync(file, 'r')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false
    throw err
  }
  try {
    const head = Buffer.alloc(SQLITE_HEADER.length)
    const read = fs.readSync(fd, head, 0, head.length, 0)
    if (read === 0) return false // an empty file is an empty database
    if (read < head.length || !head.equals(SQLITE_HEADER)) throw new NotADatabaseError(file)
    return true
  } finally {
    fs.closeSync(fd)
  }
}

export interface OpenOptions {
  migrations?: readonly Migration[]
}

/**
 * Opens (or creates) the app's database: WAL, foreign keys, migrations applied. A file that
 * is not SQLite or comes from a newer version is refused and left byte-for-byte as it was.
 */
export function openDatabase(file: string, options: OpenOptions = {}): Database.Database {
  const migrations = options.migrations ?? appMigrations
  fs.mkdirSync(path.dirname(file), { recursive: true })
  const known = latestVersion(migrations)
  if (checkHeader(file)) {
    // Read the version read-only first: a newer file must stay exactly as it is.
    const probe = new Database(file, { readonly: true, fileMustExist: true })
    try {
      const found = schemaVersion(probe)
      if (found > known) throw new DatabaseTooNewError(file, found, known)
    } catch (err) {
      if (err instanceof Error && /file is not a database/i.test(err.message)) {
        throw new NotADatabaseError(file)
      }
      throw err
    } finally {
      probe.close()
    }
  }
  const db = new Database(file)
  try {
    db.pragma('journal_mode = WAL')
    // NORMAL in WAL mode: a commit survives a process crash (SIGKILL); only an OS crash or
    // power loss may roll back the last transactions, never corrupt the file.
    db.pragma('synchronous = NORMAL')
    db.pragma('foreign_keys = ON')
    db.pragma('busy_timeout = 5000')
    migrate(db, migrations, file)
    return db
  } catch (err) {
    db.close()
    if (err instanceof Error && /file is not a database/i.test(err.message)) {
      throw new NotADatabaseError(file)
    }
    throw err
  }
}
