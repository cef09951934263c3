import { memo, useMemo } from 'react'
import type { Message } from '../../../main/contract/sessions'
import { renderMarkdown } from './markdown'
import { MarkdownBody } from './MarkdownBody'

function formatStats(message: Message): string | null {
  const s = message.stats
  if (!s) return null
  const parts: string[] = []
  if (s.modelId) parts.push(s.modelId)
  if (s.completionTokens != null) parts.push(`${s.completionTokens} tokens`)
  if (s.tokensPerSecond != null) parts.push(`${s.tokensPerSecond.toFixed(1)} tok/s`)
  if (s.timeToFirstTokenMs != null) parts.push(`first token ${Math.round(s.timeToFirstTokenMs)} ms`)
  return parts.length ? parts.join(' · ') : null
}

const ROLE_LABEL = { user: 'You', assistant: 'Model', system: 'System' } as const

interface Props {
  message: Message
  /** Marked as the one a search led to. */
  focused?: boolean
}

export const MessageView = memo(function MessageView({ message, focused }: Props) {
  const html = useMemo(() => renderMarkdown(message.content), [message.content])
  const stats = formatStats(message)
  return (
    <article
      className={`message message-${message.role}${focused ? ' message-focused' : ''}`}
      data-testid="message"
      data-message-id={message.id}
      data-role={message.role}
    >
      <header className="message-meta">
        <span className="message-role">{ROLE_LABEL[message.role]}</span>
        {message.status !== 'complete' && (
          <span className={`message-status status-${message.status}`}>{message.status}</span>
        )}
        {stats && <span className="message-stats">{stats}</span>}
      </header>
      <MarkdownBody html={html} className="message-body markdown" />
      {message.error && <p className="message-error">{message.error}</p>}
    </article>
  )
})
