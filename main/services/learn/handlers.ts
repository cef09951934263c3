import type { learnMethods } from '../../contract/learn'
import type { Handlers } from '../../contract/router'
import type { LearnProgressStore } from './progress'
import { ensureScratchModel } from './scratchModels'

export interface LearnDeps {
  progress: LearnProgressStore
  dataDir: string
  /** Where the scratch models' tokenizer comes from: the shipped model's folder. */
  tokenizerDir: string | null
}

export function createLearnHandlers({
  progress,
  dataDir,
  tokenizerDir,
}: LearnDeps): Pick<Handlers, keyof typeof learnMethods> {
  return {
    'learn.getProgress': () => progress.get(),
    'learn.saveProgress': (input) => progress.save(input),
    'learn.scratchModel': ({ size }) => ensureScratchModel(dataDir, tokenizerDir, size),
  }
}
