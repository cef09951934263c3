import type { ReactNode } from 'react'
import { FeedForwardChapter } from './chapters/FeedForwardChapter'
import { Word2VecChapter } from './chapters/Word2VecChapter'

// A hidden address for each of these chapters (`?view=word2vec`, `?view=ffn`), so the e2e
// tests can open them before the Learn tab that hosts them exists.
const VIEWS: Record<string, () => ReactNode> = {
  word2vec: () => <Word2VecChapter />,
  ffn: () => <FeedForwardChapter />,
}

export function devView(search: string): ReactNode | null {
  const name = new URLSearchParams(search).get('view')
  const view = name ? VIEWS[name] : undefined
  return view ? <main className="learn-dev">{view()}</main> : null
}
