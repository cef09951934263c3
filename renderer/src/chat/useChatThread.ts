// The conversation on screen and its live answer: the thread from chat.thread, tokens
// appended as chat.token events arrive, refreshed when a turn starts or ends.
import { useCallback, useEffect, useRef, useState } from 'react'
import type { EventPayload } from '../../../main/contract'
import type { Thread } from '../../../main/contract/chat'
import { reportError } from '../errors'
import { api } from '../platform'

export type LiveInfo = Omit<EventPayload<'chat.started'>, 'sessionId' | 'messageId'>

export function useChatThread(sessionId: number | null) {
  // Kept with the session it belongs to, so switching sessions never shows the old one.
  const [state, setThread] = useState<Thread | null>(null)
  const thread = state && state.sessionId === sessionId ? state : null
  // Text streamed so far per generating message; re-rendered at most once per frame.
  const live = useRef(new Map<number, string>())
  const [, setTick] = useState(0)
  const frame = useRef<number | null>(null)
  const [infoState, setInfo] = useState<(LiveInfo & { sessionId: number }) | null>(null)
  const info = infoState && infoState.sessionId === sessionId ? infoState : null

  const refresh = useCallback(async () => {
    if (sessionId === null) return
    try {
      const next = await api.call('chat.thread', { sessionId })
      setThread(next)
    } catch (err) {
      reportError(err)
    }
  }, [sessionId])

  useEffect(() => {
    live.current.clear()
    if (sessionId === null) return
    let alive = true
    api.call('chat.thread', { sessionId }).then((t) => alive && setThread(t), reportError)
    return () => {
      alive = false
    }
  }, [sessionId])

  useEffect(() => {
    if (sessionId === null) return
    const redraw = () => {
      if (frame.current !== null) return
      frame.current = requestAnimationFrame(() => {
        frame.current = null
        setTick((t) => t + 1)
      })
    }
    const offs = [
      api.on('chat.token', (t) => {
        if (t.sessionId !== sessionId) return
        live.current.set(t.messageId, (live.current.get(t.messageId) ?? '') + t.text)
        redraw()
      }),
      api.on('chat.started', (s) => {
        if (s.sessionId !== sessionId) return
        setInfo({ ...s, sessionId })
      }),
      api.on('chat.finished', (f) => {
        if (f.sessionId !== sessionId) return
        live.current.delete(f.message.id)
        void refresh()
      }),
      api.on('messages.added', ({ message }) => {
        if (message.sessionId === sessionId) void refresh()
      }),
    ]
    return () => offs.forEach((off) => off())
  }, [sessionId, refresh])

  /** What to show for a message: its streamed text while it streams. */
  const textOf = useCallback((id: number, saved: string) => {
    const streamed = live.current.get(id)
    return streamed !== undefined && streamed.length >= saved.length ? streamed : saved
  }, [])

  return { thread, setThread, refresh, textOf, info }
}
