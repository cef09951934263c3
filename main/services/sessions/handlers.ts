import type { messagesMethods, sessionsMethods } from '../../contract/sessions'
import type { Handlers } from '../../contract/router'
import type { EventBus } from '../eventBus'
import type { SessionStore } from '../store'
import { exportFilename, exportSession } from './export'

export interface SessionsDeps {
  store: SessionStore
  bus: EventBus
}

type SessionsHandlers = Pick<Handlers, keyof typeof sessionsMethods | keyof typeof messagesMethods>

export function createSessionsHandlers({ store, bus }: SessionsDeps): SessionsHandlers {
  return {
    'sessions.create': ({ title }) => {
      const session = store.createSession(title)
      bus.emit('sessions.changed', { sessionId: session.id, change: 'created' })
      return session
    },
    'sessions.rename': ({ id, title }) => {
      const session = store.renameSession(id, title)
      bus.emit('sessions.changed', { sessionId: id, change: 'renamed' })
      return session
    },
    'sessions.delete': ({ id }) => {
      const deleted = store.deleteSession(id)
      if (deleted) bus.emit('sessions.changed', { sessionId: id, change: 'deleted' })
      return { deleted }
    },
    'sessions.get': ({ id }) => store.getSession(id),
    'sessions.list': ({ limit }) => ({ sessions: store.listSessions(limit) }),
    'sessions.search': ({ query, limit }) => ({ hits: store.searchSessions(query, limit) }),
    'sessions.export': ({ id, format }) => {
      const session = store.getSession(id)
      return {
        filename: exportFilename(session.title, format),
        mimeType: format === 'json' ? 'application/json' : 'text/markdown',
        content: exportSession(session, store.listMessages(id), format),
      }
    },
    'messages.list': ({ sessionId }) => ({ messages: store.listMessages(sessionId) }),
    'messages.add': ({ sessionId, content, parentId }) => {
      const message = store.addMessage({ sessionId, role: 'user', content, parentId })
      bus.emit('messages.added', { message })
      bus.emit('sessions.changed', { sessionId, change: 'touched' })
      return message
    },
  }
}
