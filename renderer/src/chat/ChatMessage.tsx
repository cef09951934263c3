import { memo, useMemo, useState } from 'react'
import type { ThreadMessage } from '../../../main/contract/chat'
import type { Message } from '../../../main/contract/sessions'
import { renderMarkdown } from './markdown'
import { splitThinking } from './thinking'

const ROLE_LABEL = { user: 'You', assistant: 'Model', system: 'System' } as const

/** Tokens, speed, first-token latency, model and the knobs that shaped the answer. */
export function formatStats(message: Message): string | null {
  const s = message.stats
  if (!s) return null
  const p = (s.params ?? {}) as Record<string, unknown>
  const parts: string[] = []
  if (s.modelName) parts.push(s.modelName)
  if (s.completionTokens != null) parts.push(`${s.completionTokens} tokens`)
  if (s.tokensPerSecond != null) parts.push(`${s.tokensPerSecond.toFixed(1)} tok/s`)
  if (s.timeToFirstTokenMs != null) parts.push(`first token ${Math.round(s.timeToFirstTokenMs)} ms`)
  if (s.promptTokens != null) parts.push(`prompt ${s.promptTokens}`)
  if (p.greedy) parts.push('greedy')
  else if (typeof p.temperature === 'number') {
    parts.push(`T ${p.temperature} · top-k ${p.topK} · top-p ${p.topP} · min-p ${p.minP}`)
  }
  if (typeof p.seed === 'number') parts.push(`seed ${p.seed}`)
  if (typeof p.droppedTurns === 'number' && p.droppedTurns > 0) {
    parts.push(`${p.droppedTurns} oldest turns left out`)
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
  const { message, siblingIds, siblingIndex } = item
  const split = useMemo(() => splitThinking(text), [text])
  const html = useMemo(() => renderMarkdown(split.answer), [split.answer])
  const [editing, setEditing] = useState<string | null>(null)
  const stats = formatStats(message)
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
        <span className="message-role">{ROLE_LABEL[message.role]}</span>
        {siblingIds.length > 1 && (
          <span className="alternatives" data-testid="alternatives">
            <button
              aria-label="Previous alternative"
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
              aria-label="Next alternative"
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
            {message.status === 'interrupted' ? 'stopped' : message.status}
          </span>
        )}
        <span className="message-actions">
          <button
            data-testid="copy-message"
            title="Copy"
            onClick={() => void navigator.clipboard?.writeText(text)}
          >
            Copy
          </button>
          {message.role === 'assistant' && !streaming && (
            <button
              data-testid="regenerate"
              title="Answer again (Ctrl+Shift+Enter)"
              disabled={busy}
              onClick={() => onRegenerate(message.id)}
            >
              Regenerate
            </button>
          )}
          {message.role === 'user' && (
            <button
              data-testid="edit-message"
              disabled={busy}
              onClick={() => setEditing(message.content)}
            >
              Edit
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
            Send edited
          </button>
          <button onClick={() => setEditing(null)}>Cancel</button>
        </div>
      ) : (
        <>
          {split.thinking && (
            <details className="message-thinking" data-testid="message-thinking" open={split.open}>
              <summary>{split.open ? 'Thinking…' : 'Thought'}</summary>
              <div className="message-thinking-text">{split.thinking}</div>
            </details>
          )}
          <div
            className={`message-body markdown${streaming ? ' streaming' : ''}`}
            data-testid="message-body"
            dangerouslySetInnerHTML={{ __html: html }}
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
