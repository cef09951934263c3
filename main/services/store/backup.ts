// Automatic copies of the database and the two ways out of a damaged one: restore the newest
// copy, or start a new database. A damaged file is never written to or deleted: it is kept
// beside the new one under a dated name.
import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'

/** How many automatic copies are kept (newest first). */
const KEEP = 3
const DAY_MS = 24 * 60 * 60 * 1000

export function backupDir(file: string): string {
  return path.join(path.dirname(file), 'backups')
}

function stamp(at: Date): string {
  return at.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)
}

export interface BackupFile {
  path: string
  /** When it was taken (the file's modification time). */
  at: Date
}

/** The automatic copies of this database, newest first. */
export function listBackups(file: string): BackupFile[] {
  const dir = backupDir(file)
  const base = path.basename(file, '.db')
  let names: string[]
  try {
    names = fs.readdirSync(dir)
  } catch {
    return []
  }
  return names
    .filter((n) => n.startsWith(`${base}-`) && n.endsWith('.db'))
    .map((n) => ({ path: path.join(dir, n), at: fs.statSync(path.join(dir, n)).mtime }))
    .sort((a, b) => b.at.getTime() - a.at.getTime() || b.path.localeCompare(a.path))
}

const HOUR_MS = 60 * 60 * 1000

function prune(file: string, now = Date.now()): void {
  for (const old of listBackups(file).slice(KEEP)) fs.rmSync(old.path, { force: true })
  // A copy cut short by a crash leaves its .partial behind; one an hour old is nobody's.
  const dir = backupDir(file)
  for (const name of fs.readdirSync(dir).filter((n) => n.endsWith('.partial'))) {
    const stale = path.join(dir, name)
    // Another process may have renamed its copy into place meanwhile.
    const stat = fs.statSync(stale, { throwIfNoEntry: false })
    if (stat && now - stat.mtimeMs > HOUR_MS) fs.rmSync(stale, { force: true })
  }
}

function target(file: string, at: Date): string {
  return path.join(backupDir(file), `${path.basename(file, '.db')}-${stamp(at)}.db`)
}

/**
 * Where a copy is written before it is renamed into place: its own name per process, since
 * two processes opening one database in the same second take the same dated copy.
 */
function partialFor(dest: string): string {
  return `${dest}.${process.pid}.partial`
}

/**
 * A consistent copy taken now, synchronously (VACUUM INTO): used before migrations, when the
 * app must not go on until the copy exists.
 */
export function backupNow(db: Database.Database, file: string, at = new Date()): string {
  fs.mkdirSync(backupDir(file), { recursive: true })
  const dest = target(file, at)
  const partial = partialFor(dest)
  fs.rmSync(partial, { force: true })
  db.prepare('VACUUM INTO ?').run(partial)
  fs.renameSync(partial, dest)
  prune(file)
  return dest
}

export function backupIsStale(file: string, now = Date.now()): boolean {
  const newest = listBackups(file)[0]
  return !newest || now - newest.at.getTime() >= DAY_MS
}

/**
 * The daily copy, with SQLite's online backup API (better-sqlite3's db.backup), which copies
 * in steps and lets the app keep answering meanwhile. Does nothing when a copy is fresh.
 */
export async function backupIfStale(db: Database.Database, file: string): Promise<string | null> {
  if (!backupIsStale(file)) return null
  fs.mkdirSync(backupDir(file), { recursive: true })
  const dest = target(file, new Date())
  const partial = partialFor(dest)
  await db.backup(partial)
  fs.renameSync(partial, dest)
  prune(file)
  return dest
}

/**
 * Runs fn on a read-only connection. SQLite leaves an empty -wal and a -shm beside a WAL
 * database that a read-only connection opened. When fn throws (the file is refused), the ones
 * this call made are removed again, so a refused file is left as it was found. When it
 * returns and `keepSideFiles` is set (the file is about to be opened for writing), they stay:
 * another process may have opened the database meanwhile and be using that very -shm.
 */
export function withReadOnly<T>(
  file: string,
  fn: (db: Database.Database) => T,
  { keepSideFiles = false } = {},
): T {
  const made = ['-wal', '-shm'].filter((suffix) => !fs.existsSync(file + suffix))
  const db = new Database(file, { readonly: true, fileMustExist: true })
  let accepted = false
  try {
    const result = fn(db)
    accepted = keepSideFiles
    return result
  } finally {
    db.close()
    if (!accepted) removeEmptySideFiles(file, made)
  }
}

function removeEmptySideFiles(file: string, suffixes: string[]): void {
  for (const suffix of suffixes) {
    const extra = file + suffix
    if (suffix === '-shm' || (fs.existsSync(extra) && fs.statSync(extra).size === 0)) {
      fs.rmSync(extra, { force: true })
    }
  }
}

/** 'ok', or what SQLite's quick_check found wrong (first lines), on an open connection. */
export function quickCheckOn(db: Database.Database): string {
  try {
    const rows = db.pragma('quick_check(5)') as { quick_check: string }[]
    const lines = rows.map((r) => r.quick_check)
    return lines.length === 1 && lines[0] === 'ok' ? 'ok' : lines.join('; ')
  } catch (err) {
    return err instanceof Error ? err.message : String(err)
  }
}

/** quickCheckOn for a file, opened read-only and left as it was. */
export function quickCheck(file: string): string {
  try {
    return withReadOnly(file, quickCheckOn)
  } catch (err) {
    return err instanceof Error ? err.message : String(err)
  }
}

/**
 * Moves the database (and its -wal/-shm files) aside under a dated name, untouched, so the
 * next start makes a new one. Returns the new name of the main file.
 */
export function setAside(file: string, at = new Date()): string {
  const aside = `${file}.damaged-${stamp(at)}`
  for (const suffix of ['', '-wal', '-shm']) {
    if (fs.existsSync(file + suffix)) fs.renameSync(file + suffix, aside + suffix)
  }
  return aside
}

export class NoBackupError extends Error {
  readonly code = 'no_backup'
  constructor(readonly file: string) {
    super(`There is no usable automatic backup of ${file} in ${backupDir(file)}.`)
    this.name = 'NoBackupError'
  }
}

/** Keeps the damaged file aside and puts the newest copy that passes quick_check in place. */
export function restoreNewest(file: string): { restored: BackupFile; keptAs: string | null } {
  const good = listBackups(file).find((b) => quickCheck(b.path) === 'ok')
  if (!good) throw new NoBackupError(file)
  const keptAs = fs.existsSync(file) ? setAside(file) : null
  fs.copyFileSync(good.path, file)
  return { restored: good, keptAs }
}
