import type Database from 'better-sqlite3'
import { ApiError } from '../../contract/define'
import type {
  GenerationStats,
  Message,
  MessageRole,
  MessageStatus,
  Session,
  SessionSearchHit,
} from '../../contract/sessions'
import { writeTransaction } from './writeTransaction'

interface SessionRow {
  id: number
  title: string
  created_at: number
  updated_at: number
  message_count: number
  source: Session['source']
}

interface MessageRow {
  id: number
  session_id: number
  parent_id: number | null
  role: MessageRole
  content: string
  status: MessageStatus
  error: string | null
  model_id: number | null
  model_name: string | null
  params_json: string | null
  prompt_tokens: number | null
  completion_tokens: number | null
  tokens_per_second: number | null
  time_to_first_token_ms: number | null
  created_at: number
  updated_at: number
}

export interface NewMessage {
  sessionId: number
  role: MessageRole
  content: string
  parentId?: number | null
  status?: MessageStatus
  error?: string | null
  stats?: Partial<GenerationStats> | null
}

export interface MessagePatch {
  content?: string
  status?: MessageStatus
  error?: string | null
  stats?: Partial<GenerationStats> | null
}

const SESSION_COLUMNS = `s.id, s.title, s.created_at, s.updated_at, s.source,
  (SELECT COUNT(*) FROM messages m WHERE m.session_id = s.id) AS message_count`

function toSession(row: SessionRow): Session {
  return {
    id: row.id,
    title: row.title,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    messageCount: row.message_count,
    source: row.source,
  }
}

function toMessage(row: MessageRow): Message {
  const hasStats =
    row.model_id !== null ||
    row.model_name !== null ||
    row.params_json !== null ||
    row.prompt_tokens !== null ||
    row.completion_tokens !== null ||
    row.tokens_per_second !== null ||
    row.time_to_first_token_ms !== null
  return {
    id: row.id,
    sessionId: row.session_id,
    parentId: row.parent_id,
    role: row.role,
    content: row.content,
    status: row.status,
    error: row.error,
    stats: hasStats
      ? {
          modelId: row.model_id,
          modelName: row.model_name,
          params: row.params_json === null ? null : JSON.parse(row.params_json),
          promptTokens: row.prompt_tokens,
          completionTokens: row.completion_tokens,
          tokensPerSecond: row.tokens_per_second,
          timeToFirstTokenMs: row.time_to_first_token_ms,
        }
      : null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

function statsColumns(stats: Partial<GenerationStats> | null | undefined) {
  return {
    model_id: stats?.modelId ?? null,
    model_name: stats?.modelName ?? null,
    params_json: stats?.params == null ? null : JSON.stringify(stats.params),
    prompt_tokens: stats?.promptTokens ?? null,
    completion_tokens: stats?.completionTokens ?? null,
    tokens_per_second: stats?.tokensPerSecond ?? null,
    time_to_first_token_ms: stats?.timeToFirstTokenMs ?? null,
  }
}

/**
 * Turns what a person types into an FTS5 query: every word must appear, each as a prefix
 * ("hel wor" finds "hello world"). Words are quoted, so FTS5 syntax in the text is inert.
 */
export function toFtsQuery(text: string): string | null {
  const words = text
    .normalize('NFKC')
    .split(/[^\p{L}\p{N}_]+/u)
    .filter((w) => w.length > 0)
  if (words.length === 0) return null
  return words.map((w) => `"${w.replace(/"/g, '""')}"*`).join(' ')
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`)
}

/** Sessions and their messages in SQLite. Every write is one transaction. */
export class SessionStore {
  // Prepared once: compiling SQL costs more than running these small statements.
  private readonly statements = new Map<string, Database.Statement>()

  constructor(
    private readonly db: Database.Database,
    private readonly now: () => number = Date.now,
  ) {}

  private sql(source: string): Database.Statement {
    let statement = this.statements.get(source)
    if (!statement) {
      statement = this.db.prepare(source)
      this.statements.set(source, statement)
    }
    return statement
  }

  private requireSession(id: number): void {
    if (!this.sql('SELECT 1 FROM sessions WHERE id = ?').get(id)) {
      throw new ApiError('not_found', `There is no session ${id}.`)
    }
  }

  createSession(title?: string, source: Session['source'] = 'app'): Session {
    const t = this.now()
    const info = this.sql(
      'INSERT INTO sessions (title, created_at, updated_at, source) VALUES (?, ?, ?, ?)',
    ).run(title?.trim() || 'New chat', t, t, source)
    return this.getSession(Number(info.lastInsertRowid))
  }

  getSession(id: number): Session {
    const row = this.sql(`SELECT ${SESSION_COLUMNS} FROM sessions s WHERE s.id = ?`).get(id) as
      SessionRow | undefined
    if (!row) throw new ApiError('not_found', `There is no session ${id}.`)
    return toSession(row)
  }

  renameSession(id: number, title: string): Session {
    const info = this.sql('UPDATE sessions SET title = ? WHERE id = ?').run(title.trim(), id)
    if (info.changes === 0) throw new ApiError('not_found', `There is no session ${id}.`)
    return this.getSession(id)
  }

  /** Deletes the session and (by cascade) its messages. */
  deleteSession(id: number): boolean {
    return this.sql('DELETE FROM sessions WHERE id = ?').run(id).changes > 0
  }

  /** Newest activity first. */
  listSessions(limit = 1000): Session[] {
    const rows = this.sql(
      `SELECT ${SESSION_COLUMNS} FROM sessions s ORDER BY s.updated_at DESC, s.id DESC LIMIT ?`,
    ).all(limit) as SessionRow[]
    return rows.map(toSession)
  }

  /** Sessions whose title contains the text or whose messages contain its words. */
  searchSessions(text: string, limit = 100): SessionSearchHit[] {
    const query = text.trim()
    if (!query) return []
    const hits = new Map<number, Omit<SessionSearchHit, 'session'>>()
    const titleRows = this.sql(
      `SELECT id FROM sessions WHERE title LIKE ? ESCAPE '\\' LIMIT ?`,
    ).all(`%${escapeLike(query)}%`, limit) as { id: number }[]
    for (const { id } of titleRows) {
      hits.set(id, { matchedIn: 'title', snippet: null, messageId: null })
    }
    const fts = toFtsQuery(query)
    if (fts) {
      // The newest matching message of each session; snippets only for those (computing one
      // for every match of a common word is what costs).
      const matches = this.sql(
        `SELECT m.session_id AS sessionId, MAX(m.id) AS messageId
         FROM messages_fts JOIN messages m ON m.id = messages_fts.rowid
         WHERE messages_fts MATCH ?
         GROUP BY m.session_id`,
      ).all(fts) as { sessionId: number; messageId: number }[]
      const snippet = this.sql(
        `SELECT snippet(messages_fts, 0, '', '', '…', 16) AS text
         FROM messages_fts WHERE messages_fts MATCH ? AND rowid = ?`,
      )
      for (const { sessionId, messageId } of matches) {
        if (hits.has(sessionId)) continue
        hits.set(sessionId, { matchedIn: 'content', snippet: null, messageId })
      }
      // Snippets for the sessions that will be shown (newest first, up to the limit).
      const shown = this.sql(
        `SELECT id FROM sessions WHERE id IN (SELECT value FROM json_each(?))
         ORDER BY updated_at DESC, id DESC LIMIT ?`,
      ).all(JSON.stringify([...hits.keys()]), limit) as { id: number }[]
      for (const { id } of shown) {
        const hit = hits.get(id)!
        if (hit.matchedIn !== 'content' || hit.messageId === null) continue
        const row = snippet.get(fts, hit.messageId) as { text: string } | undefined
        hit.snippet = row?.text ?? null
      }
    }
    if (hits.size === 0) return []
    const ids = [...hits.keys()]
    const rows = this.sql(
      `SELECT ${SESSION_COLUMNS} FROM sessions s
         WHERE s.id IN (SELECT value FROM json_each(?))
         ORDER BY s.updated_at DESC, s.id DESC LIMIT ?`,
    ).all(JSON.stringify(ids), limit) as SessionRow[]
    return rows.map((row) => ({ session: toSession(row), ...hits.get(row.id)! }))
  }

  listMessages(sessionId: number): Message[] {
    this.requireSession(sessionId)
    const rows = this.sql('SELECT * FROM messages WHERE session_id = ? ORDER BY id').all(
      sessionId,
    ) as MessageRow[]
    return rows.map(toMessage)
  }

  getMessage(id: number): Message {
    const row = this.sql('SELECT * FROM messages WHERE id = ?').get(id) as MessageRow | undefined
    if (!row) throw new ApiError('not_found', `There is no message ${id}.`)
    return toMessage(row)
  }

  /** The newest message of a session (the end of its conversation), if any. */
  lastMessageId(sessionId: number): number | null {
    const row = this.db
      .prepare('SELECT id FROM messages WHERE session_id = ? ORDER BY id DESC LIMIT 1')
      .get(sessionId) as { id: number } | undefined
    return row?.id ?? null
  }

  /** Adds a message and marks its session as the most recently active, in one transaction. */
  addMessage(input: NewMessage): Message {
    return writeTransaction(this.db, () => {
      this.requireSession(input.sessionId)
      if (input.parentId != null) {
        const parent = this.getMessage(input.parentId)
        if (parent.sessionId !== input.sessionId) {
          throw new ApiError('bad_request', 'A message can only answer one of its own session.')
        }
      }
      const t = this.now()
      const info = this.sql(
        `INSERT INTO messages (session_id, parent_id, role, content, status, error, model_id,
             model_name, params_json, prompt_tokens, completion_tokens, tokens_per_second,
             time_to_first_token_ms, created_at, updated_at)
           VALUES (@session_id, @parent_id, @role, @content, @status, @error, @model_id,
             @model_name, @params_json, @prompt_tokens, @completion_tokens, @tokens_per_second,
             @time_to_first_token_ms, @t, @t)`,
      ).run({
        session_id: input.sessionId,
        parent_id: input.parentId ?? null,
        role: input.role,
        content: input.content,
        status: input.status ?? 'complete',
        error: input.error ?? null,
        ...statsColumns(input.stats),
        t,
      })
      this.sql('UPDATE sessions SET updated_at = ? WHERE id = ?').run(t, input.sessionId)
      return this.getMessage(Number(info.lastInsertRowid))
    })
  }

  /**
   * Changes a message (a reply as it streams or when it ends). Update the content at the end
   * or every few hundred milliseconds, not per token: each change re-indexes it for search.
   */
  updateMessage(id: number, patch: MessagePatch): Message {
    return writeTransaction(this.db, () => {
      const current = this.getMessage(id)
      const stats = patch.stats === undefined ? current.stats : { ...current.stats, ...patch.stats }
      this.sql(
        `UPDATE messages SET content = @content, status = @status, error = @error,
             model_id = @model_id, model_name = @model_name, params_json = @params_json, prompt_tokens = @prompt_tokens,
             completion_tokens = @completion_tokens, tokens_per_second = @tokens_per_second,
             time_to_first_token_ms = @time_to_first_token_ms, updated_at = @t
           WHERE id = @id`,
      ).run({
        id,
        content: patch.content ?? current.content,
        status: patch.status ?? current.status,
        error: patch.error === undefined ? current.error : patch.error,
        ...statsColumns(stats),
        t: this.now(),
      })
      return this.getMessage(id)
    })
  }

  /** Replies left streaming when the app stopped are interrupted, not forever "streaming". */
  markUnfinishedInterrupted(): number {
    return this.sql(
      `UPDATE messages SET status = 'interrupted' WHERE status IN ('pending', 'streaming')`,
    ).run().changes
  }

  getSetting<T>(key: string): T | undefined {
    const row = this.sql('SELECT value_json FROM settings WHERE key = ?').get(key) as
      { value_json: string } | undefined
    return row ? (JSON.parse(row.value_json) as T) : undefined
  }

  setSetting(key: string, value: unknown): void {
    this.sql(
      `INSERT INTO settings (key, value_json, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET value_json = excluded.value_json,
           updated_at = excluded.updated_at`,
    ).run(key, JSON.stringify(value), this.now())
  }
}
