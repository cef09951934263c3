import type Database from 'better-sqlite3'

export interface Migration {
  /** Its number: PRAGMA user_version after it ran. */
  version: number
  name?: string
  up(db: Database.Database): void
}

export class DatabaseTooNewError extends Error {
  constructor(
    readonly file: string,
    readonly found: number,
    readonly known: number,
  ) {
    super(
      `The database ${file} was written by a newer Glassbox (schema version ${found}; this one ` +
        `knows up to ${known}). It was left untouched: update Glassbox, or start with another ` +
        `--data-dir.`,
    )
    this.name = 'DatabaseTooNewError'
  }
}

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number
}

export function latestVersion(migrations: readonly Migration[]): number {
  return migrations.reduce((max, m) => Math.max(max, m.version), 0)
}

/**
 * Brings the schema up to the newest migration. Each migration and its user_version bump
 * commit together, so a crash leaves the database at one version or the next, never between.
 */
export function migrate(
  db: Database.Database,
  migrations: readonly Migration[],
  file = db.name,
): { from: number; to: number } {
  const sorted = [...migrations].sort((a, b) => a.version - b.version)
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].version === sorted[i - 1].version) {
      throw new Error(`Two migrations share version ${sorted[i].version}.`)
    }
  }
  const from = schemaVersion(db)
  const known = latestVersion(sorted)
  if (from > known) throw new DatabaseTooNewError(file, from, known)
  for (const m of sorted) {
    if (m.version <= from) continue
    db.transaction(() => {
      m.up(db)
      db.pragma(`user_version = ${m.version}`)
    }).immediate()
  }
  return { from, to: Math.max(from, known) }
}
