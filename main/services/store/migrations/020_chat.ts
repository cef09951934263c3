import type { Migration } from '../migrate'

// The chat domain's tables: the model registry, per-session chat settings with the chosen
// branch, and per-token data of generated messages (for the learning views). Branches
// themselves need no new column: messages.parent_id links a reply to what it answers, and
// siblings (same parent) are a message's alternatives.
export const migration: Migration = {
  version: 20,
  name: 'chat',
  up(db) {
    db.exec(`
      CREATE TABLE models (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        path TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        model_type TEXT NOT NULL,
        architecture TEXT NOT NULL,
        size_bytes INTEGER NOT NULL,
        dtype TEXT NOT NULL,
        quantization TEXT NOT NULL DEFAULT 'none' CHECK (quantization IN ('none', 'int8', 'int4')),
        context_length INTEGER NOT NULL,
        has_chat_template INTEGER NOT NULL,
        generation_config_json TEXT,
        is_default INTEGER NOT NULL DEFAULT 0,
        added_at INTEGER NOT NULL
      );

      CREATE TABLE chat_settings (
        session_id INTEGER PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
        settings_json TEXT NOT NULL,
        -- The last message of the branch on screen; null: the newest path.
        active_leaf_id INTEGER REFERENCES messages (id) ON DELETE SET NULL
      );

      CREATE TABLE message_tokens (
        message_id INTEGER PRIMARY KEY REFERENCES messages (id) ON DELETE CASCADE,
        tokens_json TEXT NOT NULL
      );
    `)
  },
}
