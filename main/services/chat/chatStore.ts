// The chat domain's rows beside the shell's sessions/messages: per-session settings, the
// branch on screen, per-token data. Branches are the messages' parent links.
import type Database from 'better-sqlite3'
import type { ChatToken, ThreadMessage } from '../../contract/chat'
import type { Message } from '../../contract/sessions'

export type StoredToken = Omit<ChatToken, 'sessionId' | 'messageId'>

export class ChatStore {
  constructor(private readonly db: Database.Database) {}

  /** The person's own settings for this session (defaults are merged in by the service). */
  settingsPatch(sessionId: number): Record<string, unknown> {
    const row = this.db
      .prepare('SELECT settings_json FROM chat_settings WHERE session_id = ?')
      .get(sessionId) as { settings_json: string } | undefined
    return row ? (JSON.parse(row.settings_json) as Record<string, unknown>) : {}
  }

  saveSettingsPatch(sessionId: number, patch: Record<string, unknown>): void {
    this.db
      .prepare(
        `INSERT INTO chat_settings (session_id, settings_json) VALUES (?, ?)
         ON CONFLICT (session_id) DO UPDATE SET settings_json = excluded.settings_json`,
      )
      .run(sessionId, JSON.stringify(patch))
  }

  activeLeaf(sessionId: number): number | null {
    const row = this.db
      .prepare('SELECT active_leaf_id AS id FROM chat_settings WHERE session_id = ?')
      .get(sessionId) as { id: number | null } | undefined
    return row?.id ?? null
  }

  setActiveLeaf(sessionId: number, messageId: number | null): void {
    this.db
      .prepare(
        `INSERT INTO chat_settings (session_id, settings_json, active_leaf_id) VALUES (?, '{}', ?)
         ON CONFLICT (session_id) DO UPDATE SET active_leaf_id = excluded.active_leaf_id`,
      )
      .run(sessionId, messageId)
  }

  saveTokens(messageId: number, tokens: StoredToken[]): void {
    this.db
      .prepare(
        `INSERT INTO message_tokens (message_id, tokens_json) VALUES (?, ?)
         ON CONFLICT (message_id) DO UPDATE SET tokens_json = excluded.tokens_json`,
      )
      .run(messageId, JSON.stringify(tokens))
  }

  tokens(messageId: number): StoredToken[] {
    const row = this.db
      .prepare('SELECT tokens_json FROM message_tokens WHERE message_id = ?')
      .get(messageId) as { tokens_json: string } | undefined
    return row ? (JSON.parse(row.tokens_json) as StoredToken[]) : []
  }
}

/**
 * The conversation on screen: the chosen leaf's ancestors, then on down through the newest
 * child at each step. Without a chosen leaf, the newest path from the newest root.
 */
export function threadOf(messages: Message[], leafId: number | null): ThreadMessage[] {
  const byId = new Map(messages.map((m) => [m.id, m]))
  const children = new Map<number | null, Message[]>()
  for (const m of messages) {
    const key = m.parentId !== null && byId.has(m.parentId) ? m.parentId : null
    const list = children.get(key) ?? []
    list.push(m)
    children.set(key, list)
  }
  const path: Message[] = []
  let cursor = leafId !== null ? byId.get(leafId) : undefined
  while (cursor) {
    path.unshift(cursor)
    cursor = cursor.parentId !== null ? byId.get(cursor.parentId) : undefined
  }
  for (;;) {
    const key = path.length ? path[path.length - 1].id : null
    const next = children.get(key)
    if (!next?.length) break
    path.push(next[next.length - 1])
  }
  return path.map((message) => {
    const key = message.parentId !== null && byId.has(message.parentId) ? message.parentId : null
    const siblings = children.get(key) ?? [message]
    return {
      message,
      siblingIds: siblings.map((s) => s.id),
      siblingIndex: siblings.findIndex((s) => s.id === message.id),
    }
  })
}
