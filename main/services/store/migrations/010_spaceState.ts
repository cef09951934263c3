import type { Migration } from '../migrate'

// The word space's view (source, projection, selection, camera) saved per chat session, so
// reopening a session brings its space back. Dropped with the session.
export const migration: Migration = {
  version: 10,
  name: 'spaceState',
  up(db) {
    db.exec(`
      CREATE TABLE space_state (
        session_id INTEGER PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
        state_json TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      );
    `)
  },
}
