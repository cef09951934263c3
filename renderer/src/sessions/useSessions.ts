import { useCallback, useEffect, useRef, useState } from 'react'
import type { Session, SessionSearchHit } from '../../../main/contract/sessions'
import { reportError } from '../errors'
import { api } from '../platform'

export interface SessionsState {
  sessions: Session[]
  /** Set while a search is active: the sessions it found, with where they matched. */
  hits: SessionSearchHit[] | null
  query: string
  setQuery(query: string): void
  loading: boolean
}

/** The sidebar's data: every session newest first, or the hits of the current search. */
export function useSessions(): SessionsState {
  const [sessions, setSessions] = useState<Session[]>([])
  const [hits, setHits] = useState<SessionSearchHit[] | null>(null)
  const [query, setQuery] = useState('')
  const [loading, setLoading] = useState(true)
  const queryRef = useRef(query)
  useEffect(() => {
    queryRef.current = query
  }, [query])
  const generation = useRef(0)

  const refresh = useCallback(async () => {
    const mine = ++generation.current
    const q = queryRef.current.trim()
    try {
      if (q) {
        const result = await api.call('sessions.search', { query: q })
        if (mine === generation.current) setHits(result.hits)
      } else {
        const result = await api.call('sessions.list', {})
        if (mine !== generation.current) return
        setSessions(result.sessions)
        setHits(null)
      }
    } catch (err) {
      reportError(err)
    } finally {
      if (mine === generation.current) setLoading(false)
    }
  }, [])

  useEffect(() => {
    const timer = setTimeout(() => void refresh(), query.trim() ? 150 : 0)
    return () => clearTimeout(timer)
  }, [query, refresh])

  useEffect(() => api.on('sessions.changed', () => void refresh()), [refresh])

  return { sessions, hits, query, setQuery, loading }
}
