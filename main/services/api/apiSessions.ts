// Every API conversation saved as a session marked "API", so the person can open in Chat
// and Inside what another tool asked the model. OpenAI clients resend the whole
// conversation each time: a request that continues a saved one is appended to it.
import type Database from 'better-sqlite3'
import type { MessageRole } from '../../contract/sessions'
import type { EventBus } from '../eventBus'
import type { SessionStore } from '../store'
import type { ApiChatRecord } from './openaiAdapter'

/** Setting: false turns the saving off. */
export const saveApiSessionsSetting = 'api.saveSessions'

/** How many recent API sessions a request is matched against. */
const recentSessions = 50

interface SavedTurn {
  role: MessageRole
  content: string
}

export class ApiSessions {
  constructor(
    private readonly db: Database.Database,
    private readonly store: SessionStore,
    private readonly bus?: EventBus,
  ) {}

  enabled(): boolean {
    return this.store.getSetting<boolean>(saveApiSessionsSetting) !== false
  }

  /** Saves the request's new turns and the answer; returns the session id (null: off). */
  record(rec: ApiChatRecord): number | null {
    if (!this.enabled()) return null
    const turns = rec.messages.map(savedTurnOf)
    const sessionId = this.db.transaction(() => {
      const found = this.continuing(turns)
      const session =
        found ?? this.store.createSession(`API: ${firstUserText(turns)}`.slice(0, 80), 'api')
      let parentId = found ? this.store.lastMessageId(session.id) : null
      for (const turn of turns.slice(found ? this.store.listMessages(session.id).length : 0)) {
        parentId = this.store.addMessage({ sessionId: session.id, parentId, ...turn }).id
      }
      this.store.addMessage({
        sessionId: session.id,
        parentId,
        ...savedTurnOf(rec.answer),
        status: rec.stats.finishReason === 'cancelled' ? 'interrupted' : 'complete',
        stats: {
          modelId: rec.model.id,
          modelName: rec.model.name,
          params: rec.params,
          promptTokens: rec.stats.promptTokens,
          completionTokens: rec.stats.completionTokens,
          tokensPerSecond: rec.stats.tokensPerSecond,
          timeToFirstTokenMs: rec.stats.ttftMs,
        },
      })
      return session.id
    })()
    this.bus?.emit('sessions.changed', { sessionId, change: 'touched' })
    return sessionId
  }

  /** The API session whose messages are the start of this request's, if any. */
  private continuing(turns: SavedTurn[]) {
    for (const session of this.store.listSessions(recentSessions * 4)) {
      if (session.source !== 'api') continue
      const saved = this.store.listMessages(session.id)
      if (saved.length === 0 || saved.length >= turns.length) continue
      if (saved.every((m, i) => m.role === turns[i].role && m.content === turns[i].content)) {
        return session
      }
    }
    return null
  }
}

function savedTurnOf(m: ApiChatRecord['messages'][number]): SavedTurn {
  const text =
    typeof m.content === 'string' ? m.content : (m.content ?? []).map((p) => p.text).join('')
  if (m.role === 'tool') return { role: 'user', content: `[tool result] ${text}` }
  if (m.role === 'system' || m.role === 'developer') return { role: 'system', content: text || ' ' }
  const calls = (m.tool_calls ?? []).map(
    (c) => `[tool call] ${c.function.name}(${c.function.arguments})`,
  )
  return { role: m.role, content: [text, ...calls].filter(Boolean).join('\n') || ' ' }
}

function firstUserText(turns: SavedTurn[]): string {
  return turns.find((t) => t.role === 'user')?.content.trim() || 'conversation'
}
