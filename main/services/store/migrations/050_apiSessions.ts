import type { Migration } from '../migrate'

// Where a session came from: the app's chat, or the OpenAI-compatible API (shown as "API"
// in the sessions list, so a request another tool made can be opened in Chat and Inside).
export const migration: Migration = {
  version: 50,
  name: 'apiSessions',
  up(db) {
    db.exec(`ALTER TABLE sessions ADD COLUMN source TEXT NOT NULL DEFAULT 'app'`)
  },
}
