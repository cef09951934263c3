import { useCallback, useEffect, useState } from 'react'
import type { Message, Session } from '../../../main/contract/sessions'
import { reportError } from '../errors'
import { api } from '../platform'
import { Composer } from './Composer'
import { MessageView } from './MessageView'
import { VirtualList } from './VirtualList'

interface Props {
  sessionId: number | null
  /** A message to bring into view (a search hit). */
  focus?: { messageId: number } | null
  onSessionCreated(id: number): void
}

interface Loaded {
  sessionId: number
  session: Session
  messages: Message[]
}

const messageKey = (m: Message) => m.id

function upsert(messages: Message[], message: Message): Message[] {
  const i = messages.findIndex((m) => m.id === message.id)
  if (i === -1) return [...messages, message].sort((a, b) => a.id - b.id)
  const next = messages.slice()
  next[i] = message
  return next
}

export function ChatPane({ sessionId, focus, onSessionCreated }: Props) {
  const [data, setData] = useState<Loaded | null>(null)
  // What was loaded for another session is never shown for this one.
  const loaded = data && data.sessionId === sessionId ? data : null

  useEffect(() => {
    if (sessionId === null) return
    let live = true
    Promise.all([
      api.call('sessions.get', { id: sessionId }),
      api.call('messages.list', { sessionId }),
    ]).then(
      ([session, list]) => {
        if (live) setData({ sessionId, session, messages: list.messages })
      },
      (err) => live && reportError(err),
    )
    return () => {
      live = false
    }
  }, [sessionId])

  useEffect(() => {
    if (sessionId === null) return
    const update = (change: (d: Loaded) => Loaded) =>
      setData((d) => (d && d.sessionId === sessionId ? change(d) : d))
    const onMessage = ({ message }: { message: Message }) => {
      if (message.sessionId !== sessionId) return
      update((d) => ({ ...d, messages: upsert(d.messages, message) }))
    }
    const offAdded = api.on('messages.added', onMessage)
    const offUpdated = api.on('messages.updated', onMessage)
    const offChanged = api.on('sessions.changed', ({ sessionId: id, change }) => {
      if (id !== sessionId || change === 'deleted') return
      api
        .call('sessions.get', { id })
        .then((session) => update((d) => ({ ...d, session })), reportError)
    })
    return () => {
      offAdded()
      offUpdated()
      offChanged()
    }
  }, [sessionId])

  const send = useCallback(
    async (text: string): Promise<boolean> => {
      try {
        let id = sessionId
        if (id === null) {
          // Writing without a chat open starts one, titled by its first words.
          const created = await api.call('sessions.create', { title: titleFrom(text) })
          id = created.id
          onSessionCreated(id)
        }
        const message = await api.call('messages.add', { sessionId: id, content: text })
        // A chat still called "New chat" is named after its first message.
        if (loaded && loaded.sessionId === id && loaded.session.title === 'New chat') {
          if (loaded.messages.length === 0) {
            await api.call('sessions.rename', { id, title: titleFrom(text) })
          }
        }
        const target = id
        setData((d) =>
          d && d.sessionId === target ? { ...d, messages: upsert(d.messages, message) } : d,
        )
        return true
      } catch (err) {
        reportError(err)
        return false
      }
    },
    [sessionId, onSessionCreated, loaded],
  )

  const focusId = focus?.messageId ?? null
  const renderMessage = useCallback(
    (m: Message) => <MessageView message={m} focused={m.id === focusId} />,
    [focusId],
  )

  return (
    <section className="chat-pane" data-testid="chat-pane">
      <header className="chat-header">
        <div className="chat-title-row">
          <h1 data-testid="chat-title">{loaded?.session.title ?? 'Glassbox'}</h1>
          {loaded && (
            <span className="chat-actions">
              <button data-testid="export-md" onClick={() => void download(loaded.sessionId, 'md')}>
                Export .md
              </button>
              <button
                data-testid="export-json"
                onClick={() => void download(loaded.sessionId, 'json')}
              >
                .json
              </button>
            </span>
          )}
        </div>
        <p className="no-model" data-testid="no-model-notice" role="status">
          No model is loaded, so nothing will answer yet. What you write is saved.
        </p>
      </header>
      {loaded && loaded.messages.length > 0 ? (
        <VirtualList
          className="message-list"
          testId="message-list"
          items={loaded.messages}
          itemKey={messageKey}
          renderItem={renderMessage}
          resetKey={sessionId}
          scrollTo={focus ? { key: focus.messageId, token: focus } : null}
        />
      ) : (
        <div className="chat-empty" data-testid="chat-empty">
          {sessionId === null
            ? 'Start a new chat, or pick one on the left.'
            : loaded
              ? 'No messages yet. Write the first one below.'
              : 'Loading…'}
        </div>
      )}
      <Composer onSend={send} />
    </section>
  )
}

/** Saves a chat as a file through the browser's download (works the same in Electron). */
async function download(id: number, format: 'md' | 'json'): Promise<void> {
  try {
    const file = await api.call('sessions.export', { id, format })
    const url = URL.createObjectURL(new Blob([file.content], { type: file.mimeType }))
    const link = document.createElement('a')
    link.href = url
    link.download = file.filename
    link.click()
    setTimeout(() => URL.revokeObjectURL(url), 10_000)
  } catch (err) {
    reportError(err)
  }
}

function titleFrom(text: string): string {
  const words = text.trim().split(/\s+/).slice(0, 8).join(' ')
  return words.length > 60 ? `${words.slice(0, 57)}…` : words || 'New chat'
}
