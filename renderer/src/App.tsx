import { useEffect, useState, useSyncExternalStore, type ReactNode } from 'react'
import { ApiServerView } from './apiServer/ApiServerView'
import { ChatPane } from './chat/ChatPane'
import { HardwareView } from './hardware/HardwareView'
import { ModelsView } from './models/ModelsView'
import { dismissError, useErrors } from './errors'
import { InsideView } from './inside/InsideView'
import { api, connection } from './platform'
import { SessionsSidebar } from './sessions/SessionsSidebar'
import { onShowWords } from './space/spaceLink'
import { SpaceTab } from './space/SpaceTab'
import { TrainView } from './training/TrainView'
import type { ConnectionState } from './api/connection'

interface Tab {
  id: string
  label: string
  render(): ReactNode
}

// The app's views, one line each.
const TABS: Tab[] = [
  { id: 'chat', label: 'Chat', render: () => <ChatView /> },
  {
    id: 'models',
    label: 'Models',
    render: () => <ModelsView />,
  },
  {
    id: 'space',
    label: 'Space',
    render: () => <SpaceTab />,
  },
  {
    id: 'inside',
    label: 'Inside',
    render: () => <InsideView />,
  },
  {
    id: 'train',
    label: 'Train',
    render: () => <TrainView />,
  },
  {
    id: 'hardware',
    label: 'Hardware',
    render: () => <HardwareView />,
  },
  { id: 'api', label: 'API', render: () => <ApiServerView /> },
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

const CONNECTION_TEXT: Record<ConnectionState, string | null> = {
  open: null,
  connecting: 'Connecting to Glassbox…',
  reconnecting: 'The connection to Glassbox was lost; reconnecting…',
  unauthorized:
    'This page has no valid token. Open the exact URL that Glassbox printed when it started.',
}

const subscribeConnection = (onChange: () => void) => connection.subscribe(onChange)
const connectionState = () => connection.state

function useConnectionState(): ConnectionState {
  return useSyncExternalStore(subscribeConnection, connectionState)
}

export function App() {
  const [tab, setTab] = useState('chat')
  useEffect(() => onShowWords(() => setTab('space')), []) // "show these words in the space"
  const errors = useErrors()
  const state = useConnectionState()
  const current = TABS.find((t) => t.id === tab) ?? TABS[0]
  return (
    <div className="app">
      <nav className="tabs" role="tablist" data-testid="tabs">
        <span className="brand">Glassbox</span>
        {TABS.map((t) => (
          <button
            key={t.id}
            role="tab"
            aria-selected={t.id === current.id}
            className={t.id === current.id ? 'tab active' : 'tab'}
            data-testid={`tab-${t.id}`}
            onClick={() => setTab(t.id)}
          >
            {t.label}
          </button>
        ))}
      </nav>
      {CONNECTION_TEXT[state] && (
        <div className={`banner banner-${state}`} data-testid="connection-banner" role="alert">
          {CONNECTION_TEXT[state]}
        </div>
      )}
      <main className="view">{current.render()}</main>
      <div className="toasts">
        {errors.map((e) => (
          <div key={e.id} className="toast" data-testid="error-toast" role="alert">
            <strong>{e.code}</strong> {e.message}
            <button aria-label="Dismiss" onClick={() => dismissError(e.id)}>
              ×
            </button>
          </div>
        ))}
      </div>
    </div>
  )
}
