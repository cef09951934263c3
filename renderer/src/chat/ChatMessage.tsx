import type { TFunction } from 'i18next'
import { memo, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ThreadMessage } from '../../../main/contract/chat'
import type { Message } from '../../../main/contract/sessions'
import { renderMarkdown } from './markdown'
import { MarkdownBody } from './MarkdownBody'
import { splitThinking } from './thinking'

/** Tokens, speed, first-token latency, model and the knobs that shaped the answer. */
export function formatStats(message: Message, t: TFunction<'chat'>): string | null {
  const s = message.stats
  if (!s) return null
  const p = (s.params ?? {}) as Record<string, unknown>
  const parts: string[] = []
  if (s.modelName) parts.push(s.modelName)
  if (s.completionTokens != null) parts.push(t('stats.tokens', { count: s.completionTokens }))
  if (s.tokensPerSecond != null) parts.push(t('stats.speed', { value: s.tokensPerSecond }))
  if (s.timeToFirstTokenMs != null) parts.push(t('stats.firstToken', { ms: s.timeToFirstTokenMs }))
  if (s.promptTokens != null) parts.push(t('stats.prompt', { count: s.promptTokens }))
  if (p.greedy) parts.push(t('stats.greedy'))
  else if (typeof p.temperature === 'number') {
    parts.push(
      t('stats.sampling', {
        temperature: p.temperature,
        topK: String(p.topK),
        topP: String(p.topP),
        minP: String(p.minP),
      }),
    )
  }
  if (typeof p.seed === 'number') parts.push(t('stats.seed', { seed: p.seed }))
  if (typeof p.droppedTurns === 'number' && p.droppedTurns > 0) {
    parts.push(t('stats.dropped', { count: p.droppedTurns }))
  }
  return parts.length ? parts.join(' · ') : null
}

interface Props {
  item: ThreadMessage
  /** A search hit: marked so the eye finds it. */
  focused?: boolean
  text: string
  busy: boolean
  onRegenerate(id: number): void
  onEdit(id: number, text: string): void
  onSelect(id: number): void
}

export const ChatMessage = memo(function ChatMessage({
  item,
  focused,
  text,
  busy,
  onRegenerate,
  onEdit,
  onSelect,
}: Props) {
  const { t } = useTranslation('chat')
  const { message, siblingIds, siblingIndex } = item
  const split = useMemo(() => splitThinking(text), [text])
  const html = useMemo(() => renderMarkdown(split.answer), [split.answer])
  const [editing, setEditing] = useState<string | null>(null)
  const stats = formatStats(message, t)
  const streaming = message.status === 'streaming'
  return (
    <article
      className={`message message-${message.role}${focused ? ' message-focused' : ''}`}
      data-testid="message"
      data-message-id={message.id}
      data-role={message.role}
      data-status={message.status}
    >
      <header className="message-meta">
        <span className="message-role">{t(`role.${message.role}`)}</span>
        {siblingIds.length > 1 && (
          <span className="alternatives" data-testid="alternatives">
            <button
              aria-label={t('message.previous')}
              data-testid="alt-prev"
              disabled={busy || siblingIndex === 0}
              onClick={() => onSelect(siblingIds[siblingIndex - 1])}
            >
              ‹
            </button>
            <span data-testid="alt-position">
              {siblingIndex + 1}/{siblingIds.length}
            </span>
            <button
              aria-label={t('message.next')}
              data-testid="alt-next"
              disabled={busy || siblingIndex === siblingIds.length - 1}
              onClick={() => onSelect(siblingIds[siblingIndex + 1])}
            >
              ›
            </button>
          </span>
        )}
        {message.status !== 'complete' && (
          <span className={`message-status status-${message.status}`} data-testid="message-status">
            {t(`status.${message.status}`)}
          </span>
        )}
        <span className="message-actions">
          <button
            data-testid="copy-message"
            title={t('message.copy')}
            onClick={() => void navigator.clipboard?.writeText(text)}
          >
            {t('message.copy')}
          </button>
          {message.role === 'assistant' && !streaming && (
            <button
              data-testid="regenerate"
              title={t('message.regenerateHint')}
              disabled={busy}
              onClick={() => onRegenerate(message.id)}
            >
              {t('message.regenerate')}
            </button>
          )}
          {message.role === 'user' && (
            <button
              data-testid="edit-message"
              disabled={busy}
              onClick={() => setEditing(message.content)}
            >
              {t('message.edit')}
            </button>
          )}
        </span>
      </header>
      {editing !== null ? (
        <div className="message-edit">
          <textarea
            data-testid="edit-input"
            value={editing}
            rows={Math.min(10, editing.split('\n').length + 1)}
            onChange={(e) => setEditing(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Escape') setEditing(null)
              if (e.key === 'Enter' && !e.shiftKey && editing.trim()) {
                e.preventDefault()
                onEdit(message.id, editing)
                setEditing(null)
              }
            }}
          />
          <button
            className="primary"
            data-testid="edit-send"
            disabled={!editing.trim() || busy}
            onClick={() => {
              onEdit(message.id, editing)
              setEditing(null)
            }}
          >
            {t('message.sendEdited')}
          </button>
          <button onClick={() => setEditing(null)}>{t('message.cancel')}</button>
        </div>
      ) : (
        <>
          {split.thinking && (
            <details className="message-thinking" data-testid="message-thinking" open={split.open}>
              <summary>{split.open ? t('message.thinking') : t('message.thought')}</summary>
              <div className="message-thinking-text">{split.thinking}</div>
            </details>
          )}
          <MarkdownBody
            html={html}
            className={`message-body markdown${streaming ? ' streaming' : ''}`}
          />
        </>
      )}
      {stats && !streaming && (
        <footer className="message-stats" data-testid="message-stats">
          {stats}
        </footer>
      )}
      {message.error && <p className="message-error">{message.error}</p>}
    </article>
  )
})
