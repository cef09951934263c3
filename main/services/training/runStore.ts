import type Database from 'better-sqlite3'
import type { TrainingSettings } from '../../contract/training'
import type { FileVerdict } from './dataFiles'

// Training runs and their metrics as SQLite rows (migration 030).

export type RunStatus = 'preparing' | 'running' | 'paused' | 'stopped' | 'finished' | 'failed'

export interface RunRow {
  id: number
  createdAt: string
  modelDir: string
  outDir: string
  runDir: string
  dataPaths: string[]
  status: RunStatus
  step: number
  totalSteps: number
  settings: TrainingSettings
  files: FileVerdict[]
  baseValLoss: number | null
  finalValLoss: number | null
  error: string | null
}

export interface MetricRow {
  step: number
  trainLoss: number
  valLoss: number | null
  lr: number
  tokens: number
  tokensPerSecond: number
}

interface RawRun {
  id: number
  created_at: string
  model_dir: string
  out_dir: string
  run_dir: string
  data_paths: string
  settings: string
  files: string
  status: RunStatus
  step: number
  total_steps: number
  base_val_loss: number | null
  final_val_loss: number | null
  error: string | null
}

const toRun = (r: RawRun): RunRow => ({
  id: r.id,
  createdAt: r.created_at,
  modelDir: r.model_dir,
  outDir: r.out_dir,
  runDir: r.run_dir,
  dataPaths: JSON.parse(r.data_paths),
  status: r.status,
  step: r.step,
  totalSteps: r.total_steps,
  settings: JSON.parse(r.settings),
  files: JSON.parse(r.files),
  baseValLoss: r.base_val_loss,
  finalValLoss: r.final_val_loss,
  error: r.error,
})

export class TrainingRunStore {
  constructor(readonly db: Database.Database) {}

  create(r: {
    modelDir: string
    outDir: string
    runDir: string
    dataPaths: string[]
    settings: TrainingSettings
  }): RunRow {
    const info = this.db
      .prepare(
        `INSERT INTO training_runs (model_dir, out_dir, run_dir, data_paths, settings, status)
         VALUES (?, ?, ?, ?, ?, 'preparing')`,
      )
      .run(r.modelDir, r.outDir, r.runDir, JSON.stringify(r.dataPaths), JSON.stringify(r.settings))
    return this.get(Number(info.lastInsertRowid))!
  }

  get(id: number): RunRow | null {
    const raw = this.db.prepare('SELECT * FROM training_runs WHERE id = ?').get(id) as
      RawRun | undefined
    return raw ? toRun(raw) : null
  }

  list(): RunRow[] {
    return (this.db.prepare('SELECT * FROM training_runs ORDER BY id DESC').all() as RawRun[]).map(
      toRun,
    )
  }

  update(
    id: number,
    patch: Partial<
      Pick<
        RunRow,
        'status' | 'step' | 'totalSteps' | 'files' | 'baseValLoss' | 'finalValLoss' | 'error'
      >
    >,
  ): void {
    const cols: Record<string, string> = {
      status: 'status',
      step: 'step',
      totalSteps: 'total_steps',
      files: 'files',
      baseValLoss: 'base_val_loss',
      finalValLoss: 'final_val_loss',
      error: 'error',
    }
    const entries = Object.entries(patch).filter(([k]) => k in cols)
    if (!entries.length) return
    const sql = `UPDATE training_runs SET ${entries.map(([k]) => `${cols[k]} = ?`).join(', ')} WHERE id = ?`
    const values = entries.map(([k, v]) => (k === 'files' ? JSON.stringify(v) : (v as unknown)))
    this.db.prepare(sql).run(...values, id)
  }

  /** Upserts: a resumed run rewrites the steps after its checkpoint. */
  addMetric(runId: number, m: MetricRow): void {
    this.db
      .prepare(
        `INSERT OR REPLACE INTO training_metrics (run_id, step, train_loss, val_loss, lr, tokens, tokens_per_second)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(runId, m.step, m.trainLoss, m.valLoss, m.lr, m.tokens, m.tokensPerSecond)
  }

  metrics(runId: number): MetricRow[] {
    return this.db
      .prepare(
        `SELECT step, train_loss AS trainLoss, val_loss AS valLoss, lr, tokens, tokens_per_second AS tokensPerSecond
         FROM training_metrics WHERE run_id = ? ORDER BY step`,
      )
      .all(runId) as MetricRow[]
  }

  /** Runs that were active when the app last stopped can be resumed from their checkpoint. */
  markInterrupted(): void {
    this.db
      .prepare(
        `UPDATE training_runs SET status = 'stopped', error = 'interrupted: the app stopped during this run' WHERE status IN ('preparing', 'running', 'paused')`,
      )
      .run()
  }
}
