import { z } from 'zod'
import { method } from './define'
import { ModelId } from './models'

export const Id = z.number().int().positive()

export const Session = z.object({
  id: Id,
  title: z.string(),
  createdAt: z.number(),
  updatedAt: z.number(),
  messageCount: z.number().int().nonnegative(),
  /** app: a chat in Glassbox; api: a conversation another tool had over the OpenAI API. */
  source: z.enum(['app', 'api']),
})
export type Session = z.infer<typeof Session>

export const MessageRole = z.enum(['system', 'user', 'assistant'])
export type MessageRole = z.infer<typeof MessageRole>

/** pending/streaming while a reply is produced; interrupted when cancelled or the app died. */
export const MessageStatus = z.enum(['pending', 'streaming', 'complete', 'interrupted', 'error'])
export type MessageStatus = z.infer<typeof MessageStatus>

/** What a generated reply cost; null for what a person wrote. */
export const GenerationStats = z.object({
  /** The registry's model; null when it was removed since. */
  modelId: ModelId.nullable(),
  /** Its name when the answer was written, shown even after the model is gone. */
  modelName: z.string().nullable(),
  params: z.record(z.string(), z.unknown()).nullable(),
  promptTokens: z.number().int().nonnegative().nullable(),
  completionTokens: z.number().int().nonnegative().nullable(),
  tokensPerSecond: z.number().nonnegative().nullable(),
  timeToFirstTokenMs: z.number().nonnegative().nullable(),
})
export type GenerationStats = z.infer<typeof GenerationStats>

export const Message = z.object({
  id: Id,
  sessionId: Id,
  /** The message this one answers or branches from; null at the root of a conversation. */
  parentId: Id.nullable(),
  role: MessageRole,
  content: z.string(),
  status: MessageStatus,
  error: z.string().nullable(),
  stats: GenerationStats.nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
})
export type Message = z.infer<typeof Message>

export const SessionSearchHit = z.object({
  session: Session,
  /** Where the query matched: the title, or a message (with a snippet around the match). */
  matchedIn: z.enum(['title', 'content']),
  snippet: z.string().nullable(),
  messageId: Id.nullable(),
})
export type SessionSearchHit = z.infer<typeof SessionSearchHit>

const Title = z.string().trim().min(1, 'a title cannot be empty').max(200)
const Content = z.string().min(1, 'a message cannot be empty').max(1_000_000)

export const sessionsMethods = {
  'sessions.create': method(z.object({ title: Title.optional() }), Session),
  'sessions.rename': method(z.object({ id: Id, title: Title }), Session),
  'sessions.delete': method(z.object({ id: Id }), z.object({ deleted: z.boolean() })),
  'sessions.get': method(z.object({ id: Id }), Session),
  /** Newest first (the most recent activity: creation or a new message). */
  'sessions.list': method(
    z.object({ limit: z.number().int().positive().max(10_000).optional() }),
    z.object({ sessions: z.array(Session) }),
  ),
  /** One chat as a Markdown document or JSON, ready to save as a file. */
  'sessions.export': method(
    z.object({ id: Id, format: z.enum(['md', 'json']) }),
    z.object({ filename: z.string(), mimeType: z.string(), content: z.string() }),
  ),
  /** Titles (substring) and message text (full-text, word prefixes), newest first. */
  'sessions.search': method(
    z.object({
      query: z.string().max(500),
      limit: z.number().int().positive().max(500).optional(),
    }),
    z.object({ hits: z.array(SessionSearchHit) }),
  ),
}

export const messagesMethods = {
  /** The whole conversation in order (oldest first). */
  'messages.list': method(z.object({ sessionId: Id }), z.object({ messages: z.array(Message) })),
  /** Saves what the person wrote; a model's reply is added by the chat service. */
  'messages.add': method(
    z.object({ sessionId: Id, content: Content, parentId: Id.nullable().optional() }),
    Message,
  ),
}

export const sessionsEvents = {
  'sessions.changed': z.object({
    sessionId: Id,
    change: z.enum(['created', 'renamed', 'deleted', 'touched']),
  }),
  'messages.added': z.object({ message: Message }),
  'messages.updated': z.object({ message: Message }),
}
