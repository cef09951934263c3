import { useCallback, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ChatSettings, ThreadMessage } from '../../../main/contract/chat'
import type { ModelsState } from '../../../main/contract/models'
import type { Session } from '../../../main/contract/sessions'
import { reportError } from '../errors'
import { api } from '../platform'
import { ChatMessage } from './ChatMessage'
import { Composer } from './Composer'
import { SettingsPanel } from './SettingsPanel'
import { useChatThread } from './useChatThread'
import { VirtualList } from './VirtualList'
import './chatTools.css'

interface Props {
  sessionId: number | null
  /** A message to bring into view (a search hit). */
  focus?: { messageId: number } | null
  onSessionCreated(id: number): void
  /** What the empty pane says when no chat is open (where the chats are listed differs). */
  noSessionText?: string
  /** Text put in the composer to start with (a Learn chapter's prompt to try). */
  draft?: string
}

const itemKey = (t: ThreadMessage) => t.message.id

/** The title the session store gives a chat created without one. */
const STORE_DEFAULT_TITLE = 'New chat'

export function ChatPane({ sessionId, focus, onSessionCreated, noSessionText, draft }: Props) {
  const { t } = useTranslation('chat')
  const untitled = t('untitled', { ns: 'sessions' })
  const [sessionState, setSession] = useState<Session | null>(null)
  const session = sessionState?.id === sessionId ? sessionState : null
  const [models, setModels] = useState<ModelsState | null>(null)
  const [settingsState, setSettings] = useState<(ChatSettings & { sessionId: number }) | null>(null)
  const settings = settingsState?.sessionId === sessionId ? settingsState : null
  const [showSettings, setShowSettings] = useState(false)
  const { thread, refresh, textOf, info } = useChatThread(sessionId)
  const generatingId = thread?.generatingId ?? null
  const busy = generatingId !== null

  useEffect(() => {
    const load = () => api.call('models.list', {}).then(setModels, reportError)
    void load()
    return api.on('models.changed', () => void load())
  }, [])

  useEffect(() => {
    let live = true
    if (sessionId === null) return
    api.call('sessions.get', { id: sessionId }).then((s) => live && setSession(s), reportError)
    api
      .call('chat.getSettings', { sessionId })
      .then((s) => live && setSettings({ ...s, sessionId }), reportError)
    const off = api.on('sessions.changed', ({ sessionId: id, change }) => {
      if (id !== sessionId || change === 'deleted') return
      api.call('sessions.get', { id }).then(setSession, reportError)
    })
    return () => {
      live = false
      off()
    }
  }, [sessionId])

  const run = useCallback(
    async (f: () => Promise<unknown>) => {
      try {
        await f()
        await refresh()
      } catch (err) {
        reportError(err)
      }
    },
    [refresh],
  )

  const send = useCallback(
    async (text: string): Promise<boolean> => {
      try {
        let id = sessionId
        if (id === null) {
          // Writing without a chat open starts one, titled by its first words.
          const created = await api.call('sessions.create', { title: titleFrom(text, untitled) })
          id = created.id
          onSessionCreated(id)
        }
        // A chat still called "New chat" (in either language) is named after its first message.
        const unnamed = session?.title === STORE_DEFAULT_TITLE || session?.title === untitled
        if (id === sessionId && unnamed && !thread?.messages.length) {
          await api.call('sessions.rename', { id, title: titleFrom(text, untitled) })
        }
        await api.call('chat.send', { sessionId: id, text })
        if (id === sessionId) await refresh()
        return true
      } catch (err) {
        reportError(err)
        return false
      }
    },
    [sessionId, onSessionCreated, refresh, session, thread, untitled],
  )

  const stop = useCallback(() => {
    if (sessionId !== null) void run(() => api.call('chat.stop', { sessionId }))
  }, [sessionId, run])
  const regenerate = useCallback(
    (messageId: number) => {
      if (sessionId !== null) void run(() => api.call('chat.regenerate', { sessionId, messageId }))
    },
    [sessionId, run],
  )
  const edit = useCallback(
    (messageId: number, text: string) => {
      if (sessionId !== null) void run(() => api.call('chat.edit', { sessionId, messageId, text }))
    },
    [sessionId, run],
  )
  const select = useCallback(
    (messageId: number) => {
      if (sessionId !== null) {
        void run(() => api.call('chat.selectBranch', { sessionId, messageId }))
      }
    },
    [sessionId, run],
  )

  // Keyboard: Esc stops, Ctrl+Shift+Enter answers the last message again, Ctrl+Shift+S
  // opens the settings.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && busy) {
        e.preventDefault()
        stop()
      } else if (e.key === 'Enter' && e.shiftKey && (e.ctrlKey || e.metaKey) && !busy) {
        const last = thread?.messages.at(-1)
        if (last) {
          e.preventDefault()
          regenerate(last.message.id)
        }
      } else if ((e.key === 'S' || e.key === 's') && e.shiftKey && (e.ctrlKey || e.metaKey)) {
        e.preventDefault()
        setShowSettings((v) => !v)
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [busy, stop, regenerate, thread])

  const model = models?.models.find((m) => m.id === (settings?.modelId ?? models.selectedId ?? -1))
  const focusId = focus?.messageId ?? null
  const renderItem = useCallback(
    (m: ThreadMessage) => (
      <ChatMessage
        focused={m.message.id === focusId}
        item={m}
        text={textOf(m.message.id, m.message.content)}
        busy={busy}
        onRegenerate={regenerate}
        onEdit={edit}
        onSelect={select}
      />
    ),
    [textOf, busy, regenerate, edit, select, focusId],
  )
  const items = thread?.messages ?? []
  const completion = settings?.mode === 'completion'

  return (
    <div className={`chat-pane-wrap${showSettings ? ' with-settings' : ''}`}>
      <section className="chat-pane" data-testid="chat-pane">
        <header className="chat-header">
          <div className="chat-title-row">
            <h1 data-testid="chat-title">{session?.title ?? t('brand', { ns: 'common' })}</h1>
            {session && (
              <span className="chat-actions">
                <button data-testid="export-md" onClick={() => void download(session.id, 'md')}>
                  {t('pane.exportMd')}
                </button>
                <button data-testid="export-json" onClick={() => void download(session.id, 'json')}>
                  {t('pane.exportJson')}
                </button>
              </span>
            )}
          </div>
          {model ? (
            <p className="model-line" data-testid="chat-model" role="status">
              {model.name}
              {completion ? ` · ${t('pane.completionMode')}` : ''}
            </p>
          ) : (
            <p className="no-model" data-testid="no-model-notice" role="status">
              {t('pane.noModel')}
            </p>
          )}
          <span className="chat-header-actions">
            {busy && (
              <button
                className="danger"
                data-testid="chat-stop"
                onClick={stop}
                title={t('pane.stopHint')}
              >
                {t('pane.stop')}
              </button>
            )}
            {sessionId !== null && (
              <button
                data-testid="toggle-settings"
                aria-pressed={showSettings}
                title={t('pane.settingsHint')}
                onClick={() => setShowSettings((v) => !v)}
              >
                {t('pane.settings')}
              </button>
            )}
          </span>
        </header>
        {info && info.droppedTurns > 0 && busy && (
          <p className="dropped-notice" data-testid="dropped-notice" role="status">
            {t('pane.dropped', { count: info.droppedTurns })}
          </p>
        )}
        {sessionId !== null && thread && items.length > 0 ? (
          <VirtualList
            className="message-list"
            testId="message-list"
            items={items}
            itemKey={itemKey}
            renderItem={renderItem}
            resetKey={sessionId}
            scrollTo={focus ? { key: focus.messageId, token: focus } : null}
          />
        ) : (
          <div className="chat-empty" data-testid="chat-empty">
            {sessionId === null
              ? (noSessionText ?? t('pane.noSession'))
              : thread
                ? t('pane.noMessages')
                : t('pane.loading')}
          </div>
        )}
        <Composer
          initialText={draft}
          onSend={send}
          disabled={busy}
          placeholder={completion ? t('composer.completionPlaceholder') : undefined}
        />
      </section>
      {showSettings && sessionId !== null && (
        <SettingsPanel
          key={sessionId}
          sessionId={sessionId}
          onChange={(s) => setSettings({ ...s, sessionId })}
        />
      )}
    </div>
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

function titleFrom(text: string, untitled: string): string {
  const words = text.trim().split(/\s+/).slice(0, 8).join(' ')
  return words.length > 60 ? `${words.slice(0, 57)}…` : words || untitled
}
