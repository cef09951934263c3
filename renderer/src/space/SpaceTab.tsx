import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { ChatPane } from '../chat/ChatPane'
import { api } from '../platform'
import { useSessions } from '../sessions/useSessions'
import { Select } from '../ui/Select'
import { showWordsInSpace, wordsOfMessage } from './spaceLink'
import { SpaceView } from './SpaceView'

/** "Show these words in the space" for the newest message of the session beside the space. */
async function showLastMessage(sessionId: number): Promise<void> {
  const { messages } = await api.call('messages.list', { sessionId })
  const last = messages[messages.length - 1]
  if (last) showWordsInSpace(wordsOfMessage(last.content))
}

/**
 * The Space tab: the 3D space and a chat pane side by side in one window, sharing one
 * session; the space's state (source, projection, selection, camera) is saved with that
 * session and comes back when it is picked again.
 */
export function SpaceTab({ active = true }: { active?: boolean }) {
  const { t } = useTranslation('space')
  const [sessionId, setSessionId] = useState<number | null>(null)
  const [withChat, setWithChat] = useState(true)
  const { sessions } = useSessions()
  return (
    <div className="space-tab">
      <div className="space-tab-bar">
        <label>
          {t('tab.session')}{' '}
          <Select
            testId="space-session"
            ariaLabel={t('session.label')}
            value={sessionId === null ? '' : String(sessionId)}
            onChange={(v) => setSessionId(v ? Number(v) : null)}
            options={[
              { value: '', label: t('tab.noSession') },
              ...sessions.map((s) => ({ value: String(s.id), label: s.title })),
            ]}
          />
        </label>
        <label>
          <input
            type="checkbox"
            checked={withChat}
            onChange={(e) => setWithChat(e.target.checked)}
          />{' '}
          {t('tab.withChat')}
        </label>
        <button
          data-testid="space-show-chat-words"
          disabled={sessionId === null}
          onClick={() => sessionId !== null && void showLastMessage(sessionId)}
        >
          {t('tab.showChatWords')}
        </button>
      </div>
      <div className="space-tab-body">
        <SpaceView
          sessionId={sessionId}
          // The chat beside the space is unmounted while the tab is hidden: the Chat tab has
          // its own, and its history is in the database either way.
          aside={
            withChat && active ? (
              <ChatPane
                sessionId={sessionId}
                onSessionCreated={setSessionId}
                noSessionText={t('session.noneChosen')}
              />
            ) : undefined
          }
        />
      </div>
    </div>
  )
}
