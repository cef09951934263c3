import type Database from 'better-sqlite3'
import { SpaceState } from '../../contract/space'

/** Per-session space state in the space_state table (migration 010). */
export class SpaceStateStore {
  constructor(private readonly db: Database.Database) {}

  save(sessionId: number, state: SpaceState): void {
    this.db
      .prepare(
        `INSERT INTO space_state (session_id, state_json, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (session_id) DO UPDATE SET state_json = excluded.state_json,
           updated_at = excluded.updated_at`,
      )
      .run(sessionId, JSON.stringify(state), Date.now())
  }

  /** The saved state, or null when none was saved or it no longer fits the schema. */
  load(sessionId: number): SpaceState | null {
    const row = this.db
      .prepare('SELECT state_json FROM space_state WHERE session_id = ?')
      .get(sessionId) as { state_json: string } | undefined
    if (!row) return null
    const parsed = SpaceState.safeParse(JSON.parse(row.state_json))
    return parsed.success ? parsed.data : null
  }
}
