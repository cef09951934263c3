import { useState, type KeyboardEvent } from 'react'
import { useTranslation } from 'react-i18next'
import type { Session } from '../../../main/contract/sessions'
import { reportError } from '../errors'
import { api } from '../platform'
import { useSessions } from './useSessions'

interface Props {
  selectedId: number | null
  /** With a message id when a search hit in that message was picked. */
  onSelect(id: number | null, messageId?: number | null): void
}

export function SessionsSidebar({ selectedId, onSelect }: Props) {
  const { t } = useTranslation('sessions')
  const { sessions, hits, query, setQuery } = useSessions()

  async function createSession() {
    try {
      const session = await api.call('sessions.create', { title: t('untitled') })
      setQuery('')
      onSelect(session.id)
    } catch (err) {
      reportError(err)
    }
  }

  const rows = hits
    ? hits.map((hit) => ({ session: hit.session, snippet: hit.snippet, messageId: hit.messageId }))
    : sessions.map((session) => ({ session, snippet: null, messageId: null }))

  return (
    <aside className="sidebar" data-testid="sessions-sidebar">
      <div className="sidebar-actions">
        <button className="primary" data-testid="new-session" onClick={() => void createSession()}>
          {t('newChat')}
        </button>
        <input
          className="search"
          type="search"
          placeholder={t('search')}
          aria-label={t('searchLabel')}
          data-testid="session-search"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
      </div>
      <ul className="session-list" data-testid="session-list">
        {rows.map(({ session, snippet, messageId }) => (
          <SessionRow
            key={session.id}
            session={session}
            snippet={snippet}
            selected={session.id === selectedId}
            onSelect={() => onSelect(session.id, messageId)}
            onDeleted={() => {
              if (session.id === selectedId) onSelect(null)
            }}
          />
        ))}
        {rows.length === 0 && (
          <li className="session-empty" data-testid="sessions-empty">
            {hits ? t('noMatch') : t('empty')}
          </li>
        )}
      </ul>
    </aside>
  )
}

interface RowProps {
  session: Session
  snippet: string | null
  selected: boolean
  onSelect(): void
  onDeleted(): void
}

function SessionRow({ session, snippet, selected, onSelect, onDeleted }: RowProps) {
  const { t } = useTranslation('sessions')
  const [editing, setEditing] = useState(false)
  const [draft, setDraft] = useState(session.title)
  const [confirming, setConfirming] = useState(false)

  async function rename() {
    setEditing(false)
    if (draft === session.title) return
    try {
      // The contract validates (an empty title is refused with a typed error shown to the user).
      await api.call('sessions.rename', { id: session.id, title: draft })
    } catch (err) {
      reportError(err)
    }
  }

  async function remove() {
    try {
      await api.call('sessions.delete', { id: session.id })
      onDeleted()
    } catch (err) {
      reportError(err)
    }
  }

  function onKey(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key === 'Enter') void rename()
    if (e.key === 'Escape') setEditing(false)
  }

  return (
    <li
      className={`session-item${selected ? ' selected' : ''}`}
      data-testid="session-item"
      data-session-id={session.id}
      aria-current={selected ? 'true' : undefined}
    >
      {editing ? (
        <input
          className="rename-input"
          data-testid="session-rename-input"
          autoFocus
          value={draft}
          maxLength={200}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={onKey}
          onBlur={() => void rename()}
        />
      ) : (
        <button className="session-open" onClick={onSelect} title={session.title}>
          <span className="session-title" data-testid="session-title">
            {session.title}
          </span>
          {snippet && (
            <span className="session-snippet" data-testid="session-snippet">
              {snippet}
            </span>
          )}
        </button>
      )}
      {!editing && (
        <span className="session-tools">
          {confirming ? (
            <>
              <button
                className="danger"
                data-testid="session-delete-confirm"
                onClick={() => void remove()}
              >
                {t('delete')}
              </button>
              <button onClick={() => setConfirming(false)}>{t('keep')}</button>
            </>
          ) : (
            <>
              <button
                title={t('rename')}
                aria-label={t('renameLabel')}
                data-testid="session-rename"
                onClick={() => {
                  setDraft(session.title)
                  setEditing(true)
                }}
              >
                ✎
              </button>
              <button
                title={t('delete')}
                aria-label={t('deleteLabel')}
                data-testid="session-delete"
                onClick={() => setConfirming(true)}
              >
                ×
              </button>
            </>
          )}
        </span>
      )}
    </li>
  )
}
