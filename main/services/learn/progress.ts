import { LearnProgressShape, type LearnProgress } from '../../contract/learn'
import type { SessionStore } from '../store'

const KEY = 'learn.progress'
const EMPTY: LearnProgress = { current: null, done: [] }

/** The course progress, one row of the settings table (no table of its own needed). */
export class LearnProgressStore {
  constructor(private readonly store: Pick<SessionStore, 'getSetting' | 'setSetting'>) {}

  get(): LearnProgress {
    // A row written by another version that no longer fits reads as no progress, not a crash.
    const parsed = LearnProgressShape.safeParse(this.store.getSetting<unknown>(KEY))
    return parsed.success ? parsed.data : EMPTY
  }

  save(progress: LearnProgress): LearnProgress {
    const stored: LearnProgress = {
      current: progress.current,
      done: [...new Set(progress.done)].sort((a, b) => a - b),
    }
    this.store.setSetting(KEY, stored)
    return stored
  }
}
