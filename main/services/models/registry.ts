// The model registry: folders the person added, in SQLite (migration 020).
import fs from 'node:fs'
import path from 'node:path'
import type Database from 'better-sqlite3'
import { ApiError } from '../../contract/define'
import type { ModelEntry } from '../../contract/models'
import { inspectModelFolder, modelFilesPresent } from './inspect'

type Quantization = ModelEntry['quantization']

interface ModelRow {
  id: number
  path: string
  name: string
  model_type: string
  architecture: string
  size_bytes: number
  dtype: string
  quantization: Quantization
  context_length: number
  has_chat_template: number
  generation_config_json: string | null
  is_default: number
  added_at: number
}

const selectedKey = 'models.selectedId'

export class ModelRegistry {
  constructor(
    private readonly db: Database.Database,
    private readonly now: () => number = Date.now,
  ) {}

  private toEntry(row: ModelRow): ModelEntry {
    return {
      id: row.id,
      name: row.name,
      path: row.path,
      modelType: row.model_type,
      architecture: row.architecture,
      sizeBytes: row.size_bytes,
      dtype: row.dtype,
      quantization: row.quantization,
      contextLength: row.context_length,
      hasChatTemplate: row.has_chat_template === 1,
      isDefault: row.is_default === 1,
      missing: !modelFilesPresent(row.path),
      addedAt: row.added_at,
    }
  }

  /** name: what the list shows (the repo id for a hub snapshot, whose folder is a commit). */
  add(
    dir: string,
    opts: { quantization?: Quantization; isDefault?: boolean; name?: string } = {},
  ): ModelEntry {
    const resolved = path.resolve(dir)
    const existing = this.db.prepare('SELECT * FROM models WHERE path = ?').get(resolved) as
      ModelRow | undefined
    if (existing) return this.toEntry(existing)
    const info = inspectModelFolder(resolved)
    const result = this.db
      .prepare(
        `INSERT INTO models (path, name, model_type, architecture, size_bytes, dtype,
           quantization, context_length, has_chat_template, generation_config_json, is_default,
           added_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        resolved,
        opts.name ?? info.name,
        info.modelType,
        info.architecture,
        info.sizeBytes,
        info.dtype,
        opts.quantization ?? 'none',
        info.contextLength,
        info.hasChatTemplate ? 1 : 0,
        info.generationConfig ? JSON.stringify(info.generationConfig) : null,
        opts.isDefault ? 1 : 0,
        this.now(),
      )
    const id = Number(result.lastInsertRowid)
    // The first model added is the one chats use until the person picks another.
    if (this.selectedId() === null) this.select(id)
    return this.get(id)
  }

  get(id: number): ModelEntry {
    const row = this.db.prepare('SELECT * FROM models WHERE id = ?').get(id) as ModelRow | undefined
    if (!row) throw new ApiError('not_found', `There is no model ${id}.`)
    return this.toEntry(row)
  }

  generationConfig(id: number): Record<string, unknown> | null {
    const row = this.db
      .prepare('SELECT generation_config_json AS g FROM models WHERE id = ?')
      .get(id) as { g: string | null } | undefined
    return row?.g ? (JSON.parse(row.g) as Record<string, unknown>) : null
  }

  list(): ModelEntry[] {
    const rows = this.db
      .prepare('SELECT * FROM models ORDER BY is_default DESC, added_at, id')
      .all() as ModelRow[]
    return rows.map((r) => this.toEntry(r))
  }

  setQuantization(id: number, quantization: Quantization): ModelEntry {
    this.get(id)
    this.db.prepare('UPDATE models SET quantization = ? WHERE id = ?').run(quantization, id)
    return this.get(id)
  }

  rename(id: number, name: string): ModelEntry {
    this.get(id)
    const trimmed = name.trim()
    if (!trimmed) throw new ApiError('bad_request', 'name: a model needs a name.')
    this.db.prepare('UPDATE models SET name = ? WHERE id = ?').run(trimmed, id)
    return this.get(id)
  }

  /** Forgets the model; its folder is deleted only with both flags (asked twice in the UI). */
  remove(
    id: number,
    opts: { deleteFiles?: boolean; confirmDeleteFiles?: boolean } = {},
  ): { removed: boolean; filesDeleted: boolean } {
    const entry = this.get(id)
    if (opts.deleteFiles && !opts.confirmDeleteFiles) {
      throw new ApiError(
        'bad_request',
        `Deleting the files of ${entry.name} needs a second confirmation; nothing was removed.`,
      )
    }
    if (opts.deleteFiles && entry.isDefault) {
      throw new ApiError('bad_request', 'The shipped default model’s files are never deleted.')
    }
    const wasSelected = this.selectedId() === id
    this.db.prepare('DELETE FROM models WHERE id = ?').run(id)
    if (wasSelected) {
      const next = this.list()[0]
      this.setSelected(next ? next.id : null)
    }
    let filesDeleted = false
    if (opts.deleteFiles && opts.confirmDeleteFiles && fs.existsSync(entry.path)) {
      fs.rmSync(entry.path, { recursive: true, force: true })
      filesDeleted = true
    }
    return { removed: true, filesDeleted }
  }

  selectedId(): number | null {
    const row = this.db
      .prepare('SELECT value_json FROM settings WHERE key = ?')
      .get(selectedKey) as { value_json: string } | undefined
    const id = row ? (JSON.parse(row.value_json) as number | null) : null
    if (id === null) return null
    const exists = this.db.prepare('SELECT 1 FROM models WHERE id = ?').get(id)
    return exists ? id : null
  }

  select(id: number): void {
    this.get(id)
    this.setSelected(id)
  }

  private setSelected(id: number | null): void {
    this.db
      .prepare(
        `INSERT INTO settings (key, value_json, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET value_json = excluded.value_json,
           updated_at = excluded.updated_at`,
      )
      .run(selectedKey, JSON.stringify(id), this.now())
  }

  /** Registers the shipped default model when its folder exists and is not listed yet. */
  registerDefault(dir: string | null): ModelEntry | null {
    if (!dir || !fs.existsSync(path.join(dir, 'config.json'))) return null
    try {
      return this.add(dir, { isDefault: true })
    } catch (err) {
      // An incomplete default (still being trained) must not stop the app from starting.
      console.error(`The default model in ${dir} was not registered: ${(err as Error).message}`)
      return null
    }
  }
}

/** native-models/default/ of this install: found by walking up to the package root. */
export function findDefaultModelDir(from: string = __dirname): string | null {
  let dir = from
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, 'native-models', 'default')
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(candidate)) return candidate
    const parent = path.dirname(dir)
    if (parent === dir) break
    dir = parent
  }
  return null
}
