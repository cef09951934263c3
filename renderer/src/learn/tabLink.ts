/**
 * "Open the full tab" from a Learn chapter: the chapter calls `openTab(id)`, the app
 * (subscribed through `onOpenTab`) switches to it. The same shape as space/spaceLink.ts.
 */
export type TabId = 'chat' | 'models' | 'space' | 'inside' | 'train' | 'hardware' | 'api' | 'learn'

type Listener = (tab: TabId) => void

const listeners = new Set<Listener>()

export function openTab(tab: TabId): void {
  for (const l of [...listeners]) l(tab)
}

export function onOpenTab(listener: Listener): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}
