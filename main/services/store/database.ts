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
import { backupIsStale, backupNow, listBackups, quickCheckOn, withReadOnly } from './backup'
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

/** The commands that get a person past a refused database, for the messages below. */
function recoveryCommands(file: string, withRestore: boolean): string {
  const dir = JSON.stringify(path.dirname(file))
  const restore = `\`glassbox db restore --data-dir ${dir}\``
  const fresh = `\`glassbox db fresh --data-dir ${dir}\``
  const backups = listBackups(file)
  const newest = backups[0]
  return (
    (withRestore && newest
      ? `Restore the automatic backup of ${newest.at.toISOString()} (${newest.path}) with ` +
        `${restore}, or start`
      : 'Start') + ` a new database, keeping this file beside it under a dated name, with ${fresh}.`
  )
}

export class DamagedDatabaseError extends Error {
  readonly code = 'database_damaged'
  constructor(
    readonly file: string,
    readonly detail: string,
  ) {
    super(
      `The database ${file} is damaged (SQLite's check says: ${detail}). Glassbox has not ` +
        `changed it. ${recoveryCommands(file, true)}`,
    )
    this.name = 'DamagedDatabaseError'
  }
}

export class EmptyDatabaseError extends Error {
  readonly code = 'database_empty'
  constructor(readonly file: string) {
    super(
      `The database ${file} is an empty file (0 bytes), so your chats are not in it. Glassbox ` +
        `has not changed it. ${recoveryCommands(file, true)}`,
    )
    this.name = 'EmptyDatabaseError'
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
    // SQLite writes the header on creation: an empty file is a lost database, not a new one.
    if (read === 0) throw new EmptyDatabaseError(file)
    if (read < head.length || !head.equals(SQLITE_HEADER)) throw new NotADatabaseError(file)
    return true
  } finally {
    fs.closeSync(fd)
  }
}

export interface OpenOptions {
  migrations?: readonly Migration[]
  /** false: no automatic copy before migrations (tests of the copies themselves). */
  backups?: boolean
}

/**
 * Opens (or creates) the app's database: WAL, foreign keys, migrations applied. A file that
 * is not SQLite or comes from a newer version is refused and left byte-for-byte as it was.
 */
export function openDatabase(file: string, options: OpenOptions = {}): Database.Database {
  const migrations = options.migrations ?? appMigrations
  fs.mkdirSync(path.dirname(file), { recursive: true })
  const known = latestVersion(migrations)
  const hasData = checkHeader(file)
  let pending = false
  if (hasData) {
    // Read-only first: a newer or damaged file must stay exactly as it is (even the switch
    // to WAL below writes to it).
    try {
      withReadOnly(
        file,
        (ro) => {
          const found = schemaVersion(ro)
          if (found > known) throw new DatabaseTooNewError(file, found, known)
          pending = found < known
          const check = quickCheckOn(ro)
          if (check !== 'ok') throw new DamagedDatabaseError(file, check)
        },
        { keepSideFiles: true },
      )
    } catch (err) {
      if (err instanceof Database.SqliteError && err.code === 'SQLITE_NOTADB') {
        throw new NotADatabaseError(file)
      }
      if (err instanceof Database.SqliteError && err.code.startsWith('SQLITE_CORRUPT')) {
        throw new DamagedDatabaseError(file, err.message)
      }
      throw err
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
    // A copy before the schema changes, and one a day (also taken while the app runs).
    if (hasData && options.backups !== false && (pending || backupIsStale(file))) {
      backupNow(db, file)
    }
    migrate(db, migrations, file)
    return db
  } catch (err) {
    db.close()
    if (err instanceof Database.SqliteError && err.code === 'SQLITE_NOTADB') {
      throw new NotADatabaseError(file)
    }
    throw err
  }
}
