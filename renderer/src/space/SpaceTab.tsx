import { useState } from 'react'
import { ChatPane } from '../chat/ChatPane'
import { SpaceView } from './SpaceView'

/**
 * The Space tab: the 3D space and a chat pane side by side in one window, sharing the
 * session (the space's state is saved with it). The chat pane can be hidden.
 */
export function SpaceTab() {
  const [sessionId, setSessionId] = useState<number | null>(null)
  const [withChat, setWithChat] = useState(true)
  return (
    <div className="space-tab" style={{ display: 'flex', flexDirection: 'column', height: '100%' }}>
      <label style={{ padding: '4px 8px' }}>
        <input type="checkbox" checked={withChat} onChange={(e) => setWithChat(e.target.checked)} />{' '}
        Chat beside the space
      </label>
      <div style={{ flex: 1, minHeight: 0 }}>
        <SpaceView
          key={sessionId ?? 'none'}
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
