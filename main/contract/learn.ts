import { z } from 'zod'
import { method } from './define'

// The Learn tab's course (issue 20): which chapter the learner reached and which they
// marked done, kept in the database so it survives a reload and a restart.

/** Chapters are numbered from 1, in the order of the course. */
export const ChapterNumber = z.number().int().min(1).max(99)

export const LearnProgressShape = z.object({
  /** The chapter open last; null before the first visit. */
  current: ChapterNumber.nullable(),
  /** Chapters marked done, ascending, no repeats. */
  done: z.array(ChapterNumber).max(99),
})
export type LearnProgress = z.infer<typeof LearnProgressShape>

/** The untrained models of the training chapters, from narrow and shallow to wider and deeper. */
export const ScratchSize = z.enum(['small', 'medium', 'large'])
export type ScratchSize = z.infer<typeof ScratchSize>

export const learnMethods = {
  'learn.getProgress': method(z.object({}), LearnProgressShape),
  /** Replaces the saved progress; returns it as stored (done sorted, repeats dropped). */
  'learn.saveProgress': method(LearnProgressShape, LearnProgressShape),
  /**
   * An untrained model (random weights, the shipped model's tokenizer) to train from
   * scratch; made once under the data folder.
   */
  'learn.scratchModel': method(
    z.object({ size: ScratchSize }),
    z.object({ modelDir: z.string(), parameterCount: z.number().int() }),
  ),
}
