import { memo, useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import type { Message } from '../../../main/contract/sessions'
import { formatStats } from './ChatMessage'
import { renderMarkdown } from './markdown'

interface Props {
  message: Message
  /** Marked as the one a search led to. */
  focused?: boolean
}

export const MessageView = memo(function MessageView({ message, focused }: Props) {
  const { t } = useTranslation('chat')
  const html = useMemo(() => renderMarkdown(message.content), [message.content])
  const stats = formatStats(message, t)
  return (
    <article
      className={`message message-${message.role}${focused ? ' message-focused' : ''}`}
      data-testid="message"
      data-message-id={message.id}
      data-role={message.role}
    >
      <header className="message-meta">
        <span className="message-role">{t(`role.${message.role}`)}</span>
        {message.status !== 'complete' && (
          <span className={`message-status status-${message.status}`}>
            {t(`status.${message.status}`)}
          </span>
        )}
        {stats && <span className="message-stats">{stats}</span>}
      </header>
      <div
        className="message-body markdown"
        data-testid="message-body"
        dangerouslySetInnerHTML={{ __html: html }}
      />
      {message.error && <p className="message-error">{message.error}</p>}
    </article>
  )
})
