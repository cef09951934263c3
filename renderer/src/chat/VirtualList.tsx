import { useCallback, useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react'

type Key = string | number

interface Props<T> {
  items: readonly T[]
  itemKey(item: T): string | number
  renderItem(item: T, index: number): ReactNode
  /** Height to assume before an item has been measured. */
  estimatedHeight?: number
  /** Pixels rendered above and below the visible part. */
  overscan?: number
  /** Changes when another list is shown (another session): start again at its end. */
  resetKey?: unknown
  /** Brings an item into view; a new `token` object asks again for the same key. */
  scrollTo?: { key: Key; token: unknown } | null
  className?: string
  testId?: string
}

function firstEndingAfter(offsets: number[], heights: number[], y: number): number {
  let lo = 0
  let hi = offsets.length - 1
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (offsets[mid] + heights[mid] <= y) lo = mid + 1
    else hi = mid
  }
  return lo
}

/**
 * A list that renders only what is on screen, for items of any height: heights are measured
 * as items appear (ResizeObserver) and estimated until then, so 5,000 messages cost about as
 * much as 20. While the reader is at the end, it follows new items (a chat).
 */
export function VirtualList<T>({
  items,
  itemKey,
  renderItem,
  estimatedHeight = 96,
  overscan = 800,
  resetKey,
  scrollTo,
  className,
  testId,
}: Props<T>) {
  const scroller = useRef<HTMLDivElement>(null)
  const atEnd = useRef(true)
  const observer = useRef<ResizeObserver | null>(null)
  const frame = useRef(0)
  const lastScrollTop = useRef(0)
  // Measured heights by item key: a Map mutated by the observer; `revision` re-renders.
  const [heightsByKey] = useState(() => new Map<Key, number>())
  const [revision, setRevision] = useState(0)
  const [scrollTop, setScrollTop] = useState(0)
  const [viewport, setViewport] = useState(800)

  const heights = new Array<number>(items.length)
  const offsets = new Array<number>(items.length)
  let total = 0
  for (let i = 0; i < items.length; i++) {
    const h = heightsByKey.get(itemKey(items[i])) ?? estimatedHeight
    heights[i] = h
    offsets[i] = total
    total += h
  }
  let start = 0
  let end = -1
  if (items.length > 0) {
    start = firstEndingAfter(offsets, heights, Math.max(0, scrollTop - overscan))
    end = firstEndingAfter(offsets, heights, scrollTop + viewport + overscan)
  }

  const onResize = useCallback(
    (entries: ResizeObserverEntry[]) => {
      const el = scroller.current
      let changed = false
      let shiftAbove = 0
      for (const entry of entries) {
        const target = entry.target as HTMLElement
        const raw = target.dataset.vkey
        if (raw === undefined || !target.isConnected) continue
        const key = target.dataset.vkeyType === 'number' ? Number(raw) : raw
        const h = Math.ceil(entry.borderBoxSize?.[0]?.blockSize ?? target.offsetHeight)
        const old = heightsByKey.get(key) ?? estimatedHeight
        if (old === h) continue
        heightsByKey.set(key, h)
        changed = true
        // An item above the visible part changed height: keep what is on screen in place.
        if (el && !atEnd.current && Number(target.dataset.vtop) + old <= el.scrollTop) {
          shiftAbove += h - old
        }
      }
      if (!changed) return
      if (el && shiftAbove !== 0) el.scrollTop += shiftAbove
      cancelAnimationFrame(frame.current)
      frame.current = requestAnimationFrame(() => setRevision((r) => r + 1))
    },
    [heightsByKey, estimatedHeight],
  )

  const measure = useCallback(
    (node: HTMLDivElement | null) => {
      if (!node || typeof ResizeObserver === 'undefined') return
      const watcher = (observer.current ??= new ResizeObserver(onResize))
      watcher.observe(node)
      // An item scrolled out of the window is unmounted: stop watching it (React 19 cleanup).
      return () => watcher.unobserve(node)
    },
    [onResize],
  )
  useEffect(() => () => observer.current?.disconnect(), [])

  useLayoutEffect(() => {
    const el = scroller.current
    if (!el) return
    const resize = new ResizeObserver(() => setViewport(el.clientHeight))
    resize.observe(el)
    return () => resize.disconnect()
  }, [])

  useLayoutEffect(() => {
    atEnd.current = true
  }, [resetKey])

  // A requested item: put it near the top once its list is there (measured heights follow).
  const scrolledFor = useRef<unknown>(null)
  useLayoutEffect(() => {
    const el = scroller.current
    if (!el || !scrollTo || scrolledFor.current === scrollTo.token) return
    const index = items.findIndex((item) => itemKey(item) === scrollTo.key)
    if (index === -1) return
    scrolledFor.current = scrollTo.token
    atEnd.current = false
    let top = 0
    for (let i = 0; i < index; i++) top += heightsByKey.get(itemKey(items[i])) ?? estimatedHeight
    el.scrollTop = Math.max(0, top - 24)
    setScrollTop(el.scrollTop)
  }, [scrollTo, items, itemKey, heightsByKey, estimatedHeight])

  // While the reader is at the end, new items and items that grow keep it there. A scroll up
  // whose event has not arrived yet (it lands after this frame's re-render) is not undone.
  useLayoutEffect(() => {
    const el = scroller.current
    if (!el || !atEnd.current) return
    if (el.scrollTop < lastScrollTop.current - 1) {
      atEnd.current = false
      return
    }
    el.scrollTop = el.scrollHeight
    lastScrollTop.current = el.scrollTop
  }, [total, revision, resetKey])

  function onScroll() {
    const el = scroller.current
    if (!el) return
    lastScrollTop.current = el.scrollTop
    atEnd.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24
    setScrollTop(el.scrollTop)
  }

  const rendered: ReactNode[] = []
  for (let i = start; i <= end && i < items.length; i++) {
    const key = itemKey(items[i])
    rendered.push(
      <div
        key={key}
        ref={measure}
        className="vlist-item"
        data-vkey={key}
        data-vkey-type={typeof key}
        data-vtop={offsets[i]}
        style={{ transform: `translateY(${offsets[i]}px)` }}
      >
        {renderItem(items[i], i)}
      </div>,
    )
  }

  return (
    <div
      ref={scroller}
      className={`vlist ${className ?? ''}`}
      data-testid={testId}
      data-rendered={rendered.length}
      onScroll={onScroll}
    >
      <div className="vlist-space" style={{ height: total }}>
        {rendered}
      </div>
    </div>
  )
}
