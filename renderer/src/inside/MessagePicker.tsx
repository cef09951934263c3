import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api } from '../platform'
import { Select } from '../ui/Select'

interface Props {
  onPick: (messageId: number) => void
  disabled: boolean
}

const isRole = (r: string): r is 'user' | 'assistant' | 'system' =>
  r === 'user' || r === 'assistant' || r === 'system'

interface Item {
  id: number
  role: string
  content: string
}

/**
 * Choose a chat message to look inside: a session, then one of its messages. Uses only the
 * sessions contract, so the chat pane needs no knowledge of this view.
 */
export function MessagePicker({ onPick, disabled }: Props) {
  const { t } = useTranslation('inside')
  const [sessions, setSessions] = useState<{ id: number; title: string }[]>([])
  const [sessionId, setSessionId] = useState<number | null>(null)
  const [messages, setMessages] = useState<Item[]>([])

  useEffect(() => {
    let stale = false
    api
      .call('sessions.list', { limit: 50 })
      .then((r) => {
        if (stale) return
        setSessions(r.sessions)
        if (r.sessions.length) setSessionId((id) => id ?? r.sessions[0].id)
      })
      .catch(() => {})
    return () => {
      stale = true
    }
  }, [])

  useEffect(() => {
    if (sessionId == null) return
    let stale = false
    api
      .call('messages.list', { sessionId })
      .then((r) => !stale && setMessages(r.messages.filter((m) => m.content.trim().length > 0)))
      .catch(() => {})
    return () => {
      stale = true
    }
  }, [sessionId])

  if (sessions.length === 0) return null
  return (
    <div className="inside-picker" data-testid="message-picker">
      <label>
        {t('picker.chat')}{' '}
        <Select
          testId="picker-session"
          value={sessionId === null ? '' : String(sessionId)}
          onChange={(v) => setSessionId(Number(v))}
          options={sessions.map((s) => ({ value: String(s.id), label: s.title }))}
        />
      </label>
      <ul>
        {messages.map((m) => (
          <li key={m.id}>
            <button
              type="button"
              disabled={disabled}
              data-testid={`picker-message-${m.id}`}
              data-role={m.role}
              onClick={() => onPick(m.id)}
            >
              <b>{isRole(m.role) ? t(`picker.role.${m.role}`) : m.role}</b> {m.content.slice(0, 80)}
              {m.content.length > 80 ? '…' : ''}
            </button>
          </li>
        ))}
      </ul>
    </div>
  )
}
