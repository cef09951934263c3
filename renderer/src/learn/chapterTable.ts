import type { ComponentType } from 'react'
import { AnalogyChapter } from './chapters/AnalogyChapter'
import { AttentionChapter } from './chapters/AttentionChapter'
import { ContextChapter } from './chapters/ContextChapter'
import { NextWordChapter } from './chapters/NextWordChapter'
// The two chapters built in another branch: switch this one import when they land.
import { FeedForwardChapter } from './chapters/FeedForwardChapter'
import { Word2VecChapter } from './chapters/Word2VecChapter'
import { ScaleChapter } from './chapters/ScaleChapter'
import { TrainingChapter } from './chapters/TrainingChapter'
import { UnderstandChapter } from './chapters/UnderstandChapter'
import { WordsChapter } from './chapters/WordsChapter'

export type ChapterKey =
  | 'words'
  | 'analogy'
  | 'word2vec'
  | 'context'
  | 'attention'
  | 'feedForward'
  | 'nextWord'
  | 'training'
  | 'scale'
  | 'understand'

export interface Chapter {
  /** its texts' keys in the learn catalogue */
  key: ChapterKey
  Component: ComponentType
}

/** The course, in the explainer's order; chapter N is CHAPTERS[N - 1]. */
export const CHAPTERS: readonly Chapter[] = [
  { key: 'words', Component: WordsChapter },
  { key: 'analogy', Component: AnalogyChapter },
  { key: 'word2vec', Component: Word2VecChapter },
  { key: 'context', Component: ContextChapter },
  { key: 'attention', Component: AttentionChapter },
  { key: 'feedForward', Component: FeedForwardChapter },
  { key: 'nextWord', Component: NextWordChapter },
  { key: 'training', Component: TrainingChapter },
  { key: 'scale', Component: ScaleChapter },
  { key: 'understand', Component: UnderstandChapter },
]
