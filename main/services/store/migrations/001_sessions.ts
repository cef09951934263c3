import type { Migration } from '../migrate'

// Sessions, messages with room for generation stats and branches, and key/value settings.
export const migration: Migration = {
  version: 1,
  name: 'sessions',
  up(db) {
    db.exec(`
      CREATE TABLE sessions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        title TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX sessions_by_activity ON sessions (updated_at DESC, id DESC);

      CREATE TABLE messages (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        parent_id INTEGER REFERENCES messages (id) ON DELETE SET NULL,
        role TEXT NOT NULL CHECK (role IN ('system', 'user', 'assistant')),
        content TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'complete'
          CHECK (status IN ('pending', 'streaming', 'complete', 'interrupted', 'error')),
        error TEXT,
        model_id TEXT,
        params_json TEXT,
        prompt_tokens INTEGER,
        completion_tokens INTEGER,
        tokens_per_second REAL,
        time_to_first_token_ms REAL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX messages_by_session ON messages (session_id, id);
      CREATE INDEX messages_by_parent ON messages (parent_id);

      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value_json TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      );
    `)
  },
}
