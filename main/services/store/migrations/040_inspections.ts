import type { Migration } from '../migrate'

// The Inside view's per-message cache. The summary (tokens, top-k, logit lens, norms) is a
// JSON row; attention weights are big, so they live as files beside the database
// (inspections/<key>/layer-N.f32) and the row only names them.
export const migration: Migration = {
  version: 40,
  name: 'inspections',
  up(db) {
    db.exec(`
      CREATE TABLE inspections (
        key TEXT PRIMARY KEY,
        message_id INTEGER REFERENCES messages (id) ON DELETE CASCADE,
        model_id TEXT NOT NULL,
        top_k INTEGER NOT NULL,
        seq_len INTEGER NOT NULL,
        summary_json TEXT NOT NULL,
        compute_ms REAL NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX inspections_by_message ON inspections (message_id);
    `)
  },
}
