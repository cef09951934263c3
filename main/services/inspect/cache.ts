import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type Database from 'better-sqlite3'
import type { Inspection } from '../../contract/inspect'

/** The summary as stored: everything of an Inspection but the per-call fields. */
export type InspectionSummary = Omit<Inspection, 'key' | 'cached' | 'computeMs' | 'messageId'>

/** Names one analysis: same model, same text, same k → same insides. */
export function inspectionKey(modelId: number, text: string, topK: number, start = 0): string {
  // start 0 keeps the keys analyses had before windows existed.
  const window = start > 0 ? `\0start=${start}` : ''
  return createHash('sha256')
    .update(`${modelId}\0${topK}\0${text}${window}`)
    .digest('hex')
    .slice(0, 32)
}

export function attentionFile(dir: string, layer: number): string {
  return path.join(dir, `layer-${layer}.f32`)
}

/** Writes each layer's heads × query × key weights as raw little-endian float32. */
export function writeAttentionFiles(dir: string, attentions: Float32Array[]): void {
  fs.mkdirSync(dir, { recursive: true })
  attentions.forEach((a, l) => {
    fs.writeFileSync(attentionFile(dir, l), new Uint8Array(a.buffer, a.byteOffset, a.byteLength))
  })
}

interface Row {
  key: string
  message_id: number | null
  summary_json: string
  compute_ms: number
}

/**
 * Per-message (and per-text) cache of Inside analyses: a SQLite row for the summary and a
 * folder of attention files. A row counts only when its files are all there, so a crash
 * between the two writes costs a recomputation, never a broken view.
 */
export class InspectionCache {
  readonly root: string

  /**
   * @param maxEntries analyses kept; older ones are evicted when a new one is stored. A
   *   256-token analysis of a SmolLM2-sized model is ~66 MB of attention files.
   */
  constructor(
    private readonly db: Database.Database,
    dataDir: string,
    private readonly maxEntries = 32,
  ) {
    this.root = path.join(dataDir, 'inspections')
  }

  dirFor(key: string): string {
    return path.join(this.root, key)
  }

  get(key: string): Inspection | null {
    const row = this.db
      .prepare('SELECT key, message_id, summary_json, compute_ms FROM inspections WHERE key = ?')
      .get(key) as Row | undefined
    if (!row) return null
    const summary = JSON.parse(row.summary_json) as InspectionSummary
    for (let l = 0; l < summary.numLayers; l++) {
      if (!fs.existsSync(attentionFile(this.dirFor(key), l))) {
        this.delete(key)
        return null
      }
    }
    return { ...summary, key, messageId: row.message_id, cached: true, computeMs: row.compute_ms }
  }

  put(
    key: string,
    where: { messageId: number | null; topK: number },
    summary: InspectionSummary,
    computeMs: number,
  ) {
    this.db
      .prepare(
        `INSERT OR REPLACE INTO inspections
           (key, message_id, model_id, top_k, seq_len, summary_json, compute_ms, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        key,
        where.messageId,
        summary.modelId,
        where.topK,
        summary.seqLen,
        JSON.stringify(summary),
        computeMs,
        Date.now(),
      )
    this.evict()
  }

  /** Drops the oldest analyses beyond maxEntries, rows and files together. */
  private evict(): void {
    const old = this.db
      .prepare('SELECT key FROM inspections ORDER BY created_at DESC, rowid DESC LIMIT -1 OFFSET ?')
      .all(this.maxEntries) as { key: string }[]
    for (const { key } of old) this.delete(key)
  }

  /** The shape of a cached analysis, without parsing its whole summary (one per layer fetch). */
  shape(key: string): { numLayers: number; numHeads: number; seqLen: number } | null {
    const row = this.db
      .prepare(
        `SELECT json_extract(summary_json, '$.numLayers') AS numLayers,
                json_extract(summary_json, '$.numHeads') AS numHeads, seq_len AS seqLen
           FROM inspections WHERE key = ?`,
      )
      .get(key) as { numLayers: number; numHeads: number; seqLen: number } | undefined
    return row ?? null
  }

  /** One layer's weights, little-endian float32 heads × query × key. */
  readAttention(key: string, layer: number): Buffer {
    return fs.readFileSync(attentionFile(this.dirFor(key), layer))
  }

  delete(key: string): void {
    this.db.prepare('DELETE FROM inspections WHERE key = ?').run(key)
    fs.rmSync(this.dirFor(key), { recursive: true, force: true })
  }

  /**
   * Removes attention folders whose row is gone (a deleted message cascades its row away;
   * the files follow here, at start-up, rather than in a trigger SQLite cannot run).
   */
  prune(): number {
    if (!fs.existsSync(this.root)) return 0
    const known = new Set(
      (this.db.prepare('SELECT key FROM inspections').all() as { key: string }[]).map((r) => r.key),
    )
    let removed = 0
    for (const name of fs.readdirSync(this.root)) {
      if (known.has(name)) continue
      fs.rmSync(path.join(this.root, name), { recursive: true, force: true })
      removed++
    }
    return removed
  }
}
