import { useState } from 'react'
import { ChatPane } from '../chat/ChatPane'
import { useSessions } from '../sessions/useSessions'
import { SpaceView } from './SpaceView'

/**
 * The Space tab: the 3D space and a chat pane side by side in one window, sharing one
 * session; the space's state (source, projection, selection, camera) is saved with that
 * session and comes back when it is picked again.
 */
export function SpaceTab() {
  const [sessionId, setSessionId] = useState<number | null>(null)
  const [withChat, setWithChat] = useState(true)
  const { sessions } = useSessions()
  return (
    <div className="space-tab">
      <div className="space-tab-bar">
        <label>
          Session{' '}
          <select
            data-testid="space-session"
            value={sessionId ?? ''}
            onChange={(e) => setSessionId(e.target.value ? Number(e.target.value) : null)}
          >
            <option value="">none (not saved)</option>
            {sessions.map((s) => (
              <option key={s.id} value={s.id}>
                {s.title}
              </option>
            ))}
          </select>
        </label>
        <label>
          <input
            type="checkbox"
            checked={withChat}
            onChange={(e) => setWithChat(e.target.checked)}
          />{' '}
          Chat beside the space
        </label>
      </div>
      <div className="space-tab-body">
        <SpaceView
          sessionId={sessionId}
          aside={
            withChat ? (
              <ChatPane sessionId={sessionId} onSessionCreated={setSessionId} />
            ) : undefined
          }
        />
      </div>
    </div>
  )
}
