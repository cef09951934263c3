import type { Migration } from '../migrate'

// Fine-tuning runs and their per-step metrics (issue 5). Settings and file verdicts are
// JSON: they are read whole, never queried by field.
export const migration: Migration = {
  version: 30,
  name: 'training',
  up(db) {
    db.exec(`
      CREATE TABLE training_runs (
        id INTEGER PRIMARY KEY,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        model_dir TEXT NOT NULL,
        out_dir TEXT NOT NULL,
        run_dir TEXT NOT NULL,
        data_paths TEXT NOT NULL,
        settings TEXT NOT NULL,
        files TEXT NOT NULL DEFAULT '[]',
        status TEXT NOT NULL,
        step INTEGER NOT NULL DEFAULT 0,
        total_steps INTEGER NOT NULL DEFAULT 0,
        base_val_loss REAL,
        final_val_loss REAL,
        error TEXT
      );
      CREATE TABLE training_metrics (
        run_id INTEGER NOT NULL REFERENCES training_runs(id) ON DELETE CASCADE,
        step INTEGER NOT NULL,
        train_loss REAL NOT NULL,
        val_loss REAL,
        lr REAL NOT NULL,
        tokens INTEGER NOT NULL,
        tokens_per_second REAL NOT NULL,
        PRIMARY KEY (run_id, step)
      );
    `)
  },
}
