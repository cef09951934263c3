// The messages between the main process and a training child (one child per run, so a run's
// crash or out-of-memory ends that run, never chat or the database). The main process checks
// what a child says against these schemas, as main/contract does for the UI.
import { z } from 'zod'
import { FileVerdictShape, TrainingProgressShape } from '../contract/training'
import type { RunSettings } from '../services/training/runSettings'

export type TrainingParentMessage =
  | { type: 'start'; settings: RunSettings }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'stop' }

const CurvePointShape = z.object({
  step: z.number(),
  trainLoss: z.number(),
  valLoss: z.number().optional(),
  lr: z.number(),
})

export const TrainingChildMessage = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('files'),
    files: z.array(FileVerdictShape),
    plan: z.object({ tokens: z.number(), totalSteps: z.number() }),
  }),
  z.object({ type: z.literal('progress'), progress: TrainingProgressShape }),
  z.object({ type: z.literal('checkpoint'), step: z.number() }),
  z.object({
    type: z.literal('done'),
    result: z.object({
      status: z.enum(['finished', 'stopped']),
      steps: z.number(),
      curve: z.array(CurvePointShape),
      // NaN (no held-out set) crosses the structured-clone channel as NaN.
      baseValLoss: z.number().or(z.nan()),
      finalValLoss: z.number().or(z.nan()),
      verdicts: z.array(FileVerdictShape),
    }),
  }),
  z.object({ type: z.literal('failed'), message: z.string() }),
])
export type TrainingChildMessage = z.infer<typeof TrainingChildMessage>
