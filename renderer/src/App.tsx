import { useCallback, useEffect, useState, useSyncExternalStore, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { ApiServerView } from './apiServer/ApiServerView'
import { ChatPane } from './chat/ChatPane'
import { HardwareView } from './hardware/HardwareView'
import { LanguageSwitch } from './i18n/LanguageSwitch'
import { ModelsView } from './models/ModelsView'
import { dismissError, useErrors } from './errors'
import { ErrorText } from './ErrorText'
import { InsideView } from './inside/InsideView'
import { hasChapterLink } from './learn/chapterLink'
import { LearnTab } from './learn/LearnTab'
import { onOpenTab, type TabId } from './learn/tabLink'
import { api, connection } from './platform'
import { readSetting, writeSetting } from './savedSetting'
import { SessionsSidebar } from './sessions/SessionsSidebar'
import { onShowWords } from './space/spaceLink'
import { SpaceTab } from './space/SpaceTab'
import { TrainView } from './training/TrainView'
import { ThemeSwitch } from './ui/ThemeSwitch'
import type { ConnectionState } from './api/connection'

interface Tab {
  id: TabId
  render(active: boolean): ReactNode
  /**
   * Stays mounted (hidden) once opened: its state is work in progress that lives only in the
   * page (the projected space and its camera, the picked training files and settings).
   */
  keep?: boolean
}

// The app's views, one line each.
const TABS: Tab[] = [
  { id: 'chat', render: () => <ChatView /> },
  {
    id: 'models',
    render: () => <ModelsView />,
  },
  {
    id: 'space',
    render: (active) => <SpaceTab active={active} />,
    keep: true,
  },
  {
    id: 'inside',
    render: () => <InsideView />,
  },
  {
    id: 'train',
    render: () => <TrainView />,
    keep: true,
  },
  {
    id: 'hardware',
    render: () => <HardwareView />,
  },
  { id: 'api', render: () => <ApiServerView /> },
  { id: 'learn', render: () => <LearnTab /> },
]

const savedSessionId = (): number | null => {
  const id = Number(readSetting('chat.session'))
  return Number.isInteger(id) && id > 0 ? id : null
}

function ChatView() {
  // The open chat is kept in this profile, so a reload (or a restart) reopens it.
  const [sessionId, setSessionIdState] = useState<number | null>(savedSessionId)
  const setSessionId = useCallback((id: number | null) => {
    setSessionIdState(id)
    writeSetting('chat.session', id === null ? null : String(id))
  }, [])
  // A saved chat deleted meanwhile (or from another data folder) is not reopened.
  useEffect(() => {
    const saved = savedSessionId()
    if (saved === null) return
    api
      .call('sessions.list', {})
      .then(({ sessions }) => {
        if (!sessions.some((s) => s.id === saved)) setSessionId(null)
      })
      .catch(() => undefined)
  }, [setSessionId])
  // The message a search hit pointed at; a new object each time, so picking it again scrolls.
  const [focus, setFocus] = useState<{ messageId: number } | null>(null)
  // Deleted elsewhere (another window or tab): close it here too.
  useEffect(
    () =>
      api.on('sessions.changed', ({ sessionId: id, change }) => {
        if (change !== 'deleted') return
        setSessionIdState((current) => (current === id ? null : current))
        if (savedSessionId() === id) writeSetting('chat.session', null)
      }),
    [],
  )
  return (
    <div className="chat-view">
      <SessionsSidebar
        selectedId={sessionId}
        onSelect={(id, messageId) => {
          setSessionId(id)
          setFocus(messageId ? { messageId } : null)
        }}
      />
      <ChatPane sessionId={sessionId} focus={focus} onSessionCreated={setSessionId} />
    </div>
  )
}

const subscribeConnection = (onChange: () => void) => connection.subscribe(onChange)
const connectionState = () => connection.state

function useConnectionState(): ConnectionState {
  return useSyncExternalStore(subscribeConnection, connectionState)
}

export function App() {
  const { t } = useTranslation()
  // `?learn=N` opens that chapter of the Learn tab.
  const [tab, setTabState] = useState<TabId>(() =>
    hasChapterLink(window.location.search) ? 'learn' : 'chat',
  )
  const [opened, setOpened] = useState<ReadonlySet<string>>(() => new Set([tab]))
  const setTab = useCallback((id: TabId) => {
    setTabState(id)
    setOpened((before) => (before.has(id) ? before : new Set([...before, id])))
  }, [])
  useEffect(() => onShowWords(() => setTab('space')), [setTab]) // "show these words in the space"
  useEffect(() => onOpenTab(setTab), [setTab]) // a Learn chapter's "open the full tab"
  const errors = useErrors()
  const state = useConnectionState()
  const current = TABS.find((t) => t.id === tab) ?? TABS[0]
  return (
    <div className="app">
      <nav className="tabs" role="tablist" data-testid="tabs">
        <span className="brand">{t('brand')}</span>
        {TABS.map((entry) => (
          <button
            key={entry.id}
            role="tab"
            aria-selected={entry.id === current.id}
            className={entry.id === current.id ? 'tab active' : 'tab'}
            data-testid={`tab-${entry.id}`}
            onClick={() => setTab(entry.id)}
          >
            {t(`tabs.${entry.id}`)}
          </button>
        ))}
        <span className="tabs-end">
          <ThemeSwitch />
          <LanguageSwitch />
        </span>
      </nav>
      {state !== 'open' && (
        <div className={`banner banner-${state}`} data-testid="connection-banner" role="alert">
          {t(`connection.${state}`)}
        </div>
      )}
      <main className="view">
        {TABS.map((entry) => {
          const active = entry.id === current.id
          if (entry.keep && opened.has(entry.id))
            return (
              <div key={entry.id} className="tab-panel" hidden={!active}>
                {entry.render(active)}
              </div>
            )
          return active ? (
            <div key={entry.id} className="tab-panel">
              {entry.render(true)}
            </div>
          ) : null
        })}
      </main>
      <div className="toasts">
        {errors.map((e) => (
          <div key={e.id} className="toast" data-testid="error-toast" role="alert">
            <span className="toast-text">
              <ErrorText code={e.code} message={e.message} />
            </span>
            <button aria-label={t('dismiss')} onClick={() => dismissError(e.id)}>
              ×
            </button>
          </div>
        ))}
      </div>
    </div>
  )
}
