/**
 * "Show these words in the space": the chat pane (or anything else) calls
 * `showWordsInSpace(words)`; the app switches to the Space tab (it subscribes through
 * `onShowWords`) and the space view selects the words and their neighbours. A pending
 * request waits for a view that mounts later.
 */
type Listener = (words: string[]) => void

const listeners = new Set<Listener>()
let pending: string[] | null = null

export function showWordsInSpace(words: string[]): void {
  const clean = [...new Set(words.map((w) => w.trim()).filter(Boolean))].slice(0, 50)
  if (clean.length === 0) return
  pending = clean
  for (const l of [...listeners]) l(clean)
}

export function onShowWords(listener: Listener): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

/** Takes the request not yet handled by a space view (null when none). */
export function takePendingWords(): string[] | null {
  const words = pending
  pending = null
  return words
}

/** Words of a chat message worth showing: letters only, two or more, no duplicates, in order. */
export function wordsOfMessage(text: string): string[] {
  return [...new Set(text.toLowerCase().match(/[a-z][a-z'-]+/g) ?? [])]
}
