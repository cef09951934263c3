import { useEffect, useState, useSyncExternalStore, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { ApiServerView } from './apiServer/ApiServerView'
import { ChatPane } from './chat/ChatPane'
import { HardwareView } from './hardware/HardwareView'
import { LanguageSwitch } from './i18n/LanguageSwitch'
import { ModelsView } from './models/ModelsView'
import { dismissError, useErrors } from './errors'
import { InsideView } from './inside/InsideView'
import { api, connection } from './platform'
import { SessionsSidebar } from './sessions/SessionsSidebar'
import { onShowWords } from './space/spaceLink'
import { SpaceTab } from './space/SpaceTab'
import { TrainView } from './training/TrainView'
import { WelcomeCard, type WelcomeStep } from './welcome/WelcomeCard'
import type { ConnectionState } from './api/connection'

interface Tab {
  id: 'chat' | 'models' | 'space' | 'inside' | 'train' | 'hardware' | 'api'
  render(): ReactNode
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
    render: () => <SpaceTab />,
  },
  {
    id: 'inside',
    render: () => <InsideView />,
  },
  {
    id: 'train',
    render: () => <TrainView />,
  },
  {
    id: 'hardware',
    render: () => <HardwareView />,
  },
  { id: 'api', render: () => <ApiServerView /> },
]

function ChatView() {
  const [sessionId, setSessionId] = useState<number | null>(null)
  // The message a search hit pointed at; a new object each time, so picking it again scrolls.
  const [focus, setFocus] = useState<{ messageId: number } | null>(null)
  // Deleted elsewhere (another window or tab): close it here too.
  useEffect(
    () =>
      api.on('sessions.changed', ({ sessionId: id, change }) => {
        if (change === 'deleted') setSessionId((current) => (current === id ? null : current))
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

/** The tab to open with: ?learn=1 asks for the tour, once the Learn tab exists. */
function initialTab(): string {
  const learn = new URLSearchParams(window.location.search).get('learn') === '1'
  return learn && TABS.some((entry) => (entry.id as string) === 'learn') ? 'learn' : 'chat'
}

export function App() {
  const { t } = useTranslation()
  const [tab, setTab] = useState(initialTab)
  const onWelcomeStep = (step: WelcomeStep) => {
    if (TABS.some((entry) => (entry.id as string) === step)) {
      setTab(step)
      return
    }
    // No Learn tab in this build: note the wish in the address (kept on reload), nothing more.
    const url = new URL(window.location.href)
    url.searchParams.set(step, '1')
    window.history.pushState(null, '', url)
  }
  useEffect(() => onShowWords(() => setTab('space')), []) // "show these words in the space"
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
        <LanguageSwitch />
      </nav>
      {state !== 'open' && (
        <div className={`banner banner-${state}`} data-testid="connection-banner" role="alert">
          {t(`connection.${state}`)}
        </div>
      )}
      {current.id === 'chat' && <WelcomeCard onStep={onWelcomeStep} />}
      <main className="view">{current.render()}</main>
      <div className="toasts">
        {errors.map((e) => (
          // The message says what went wrong in words; the code is for tests and logs only.
          <div
            key={e.id}
            className="toast"
            data-testid="error-toast"
            data-code={e.code}
            role="alert"
          >
            {e.message}
            <button aria-label={t('dismiss')} onClick={() => dismissError(e.id)}>
              ×
            </button>
          </div>
        ))}
      </div>
    </div>
  )
}
