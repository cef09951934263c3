import type { learnMethods } from '../../contract/learn'
import type { Handlers } from '../../contract/router'
import type { LearnProgressStore } from './progress'

export function createLearnHandlers(
  progress: LearnProgressStore,
): Pick<Handlers, keyof typeof learnMethods> {
  return {
    'learn.getProgress': () => progress.get(),
    'learn.saveProgress': (input) => progress.save(input),
  }
}
