import { z } from 'zod'
import { method } from './define'

// Fine-tuning (issue 5): pick files, plan, run with live progress, pause/resume/cancel,
// history, and a before/after comparison.

export const FileVerdictShape = z.object({
  path: z.string(),
  status: z.enum(['accepted', 'refused', 'skipped']),
  reason: z.string(),
  bytes: z.number(),
  chars: z.number(),
})

export const TrainingSettingsShape = z.object({
  mode: z.enum(['full', 'lora']),
  loraRank: z.number().int().min(1).max(256),
  loraAlpha: z.number().positive(),
  loraTargets: z.array(z.string()).min(1),
  loraDropout: z.number().min(0).max(0.9),
  epochs: z.number().positive(),
  maxSteps: z.number().int().min(0),
  batchSize: z.number().int().min(1).max(256),
  seqLen: z.number().int().min(8).max(8192),
  learningRate: z.number().positive().max(1),
  warmupSteps: z.number().int().min(0),
  weightDecay: z.number().min(0),
  heldOutFraction: z.number().min(0).max(0.5),
  checkpointEvery: z.number().int().min(1),
  evalEvery: z.number().int().min(1),
  seed: z.number().int(),
  threads: z.number().int().min(0),
})
export type TrainingSettings = z.infer<typeof TrainingSettingsShape>

export const TrainingStatus = z.enum([
  'preparing',
  'running',
  'paused',
  'stopped',
  'finished',
  'failed',
])

export const TrainingRunShape = z.object({
  id: z.number(),
  createdAt: z.string(),
  modelDir: z.string(),
  outDir: z.string(),
  status: TrainingStatus,
  step: z.number(),
  totalSteps: z.number(),
  settings: TrainingSettingsShape,
  files: z.array(FileVerdictShape),
  baseValLoss: z.number().nullable(),
  finalValLoss: z.number().nullable(),
  error: z.string().nullable(),
})

export const TrainingMetricShape = z.object({
  step: z.number(),
  trainLoss: z.number(),
  valLoss: z.number().nullable(),
  lr: z.number(),
  tokens: z.number(),
  tokensPerSecond: z.number(),
})

const runId = z.object({ runId: z.number().int() })
const ok = z.object({ ok: z.boolean() })

export const trainingMethods = {
  'training.inspectFiles': method(
    z.object({ paths: z.array(z.string()).min(1) }),
    z.object({ files: z.array(FileVerdictShape) }),
  ),
  /** Files dropped in the browser: their bytes are saved under the data folder, then inspected. */
  'training.addFiles': method(
    z.object({
      files: z.array(z.object({ name: z.string().min(1), dataBase64: z.string() })).min(1),
    }),
    z.object({ files: z.array(FileVerdictShape) }),
  ),
  /** Without modelDir: the shipped default model. */
  'training.defaultSettings': method(
    z.object({ modelDir: z.string().optional() }),
    z.object({ modelDir: z.string(), settings: TrainingSettingsShape, parameterCount: z.number() }),
  ),
  'training.planRun': method(
    z.object({
      modelDir: z.string(),
      paths: z.array(z.string()).min(1),
      settings: TrainingSettingsShape,
    }),
    z.object({
      files: z.array(FileVerdictShape),
      tokens: z.number(),
      steps: z.number(),
      estimatedSeconds: z.number(),
    }),
  ),
  'training.startRun': method(
    z.object({
      modelDir: z.string(),
      paths: z.array(z.string()).min(1),
      /** Without it: a new folder under the data folder, named after the run. */
      outDir: z.string().optional(),
      /** The picked outDir holds files and the person confirmed writing into it. */
      confirmOverwrite: z.boolean().optional(),
      settings: TrainingSettingsShape,
    }),
    runId,
  ),
  'training.pauseRun': method(runId, ok),
  /** Continues a paused run, or restarts a stopped/failed one from its last checkpoint. */
  'training.resumeRun': method(
    runId.extend({
      /** Resume although the files changed since the checkpoint (after a needs_confirmation). */
      acceptChangedData: z.boolean().optional(),
    }),
    ok,
  ),
  'training.cancelRun': method(runId, ok),
  'training.listRuns': method(z.object({}), z.object({ runs: z.array(TrainingRunShape) })),
  'training.getRun': method(
    runId,
    z.object({ run: TrainingRunShape, metrics: z.array(TrainingMetricShape) }),
  ),
  'training.compare': method(
    z.object({
      runId: z.number().int(),
      prompt: z.string().min(1),
      maxTokens: z.number().int().min(1).max(200),
    }),
    z.object({
      base: z.object({ text: z.string(), heldOutPerplexity: z.number().nullable() }),
      tuned: z.object({ text: z.string(), heldOutPerplexity: z.number().nullable() }),
    }),
  ),
}

/** One step's report, as a training run sends it (and its child process to the main one). */
export const TrainingProgressShape = z.object({
  step: z.number(),
  totalSteps: z.number(),
  tokens: z.number(),
  trainLoss: z.number(),
  valLoss: z.number().nullable(),
  lr: z.number(),
  tokensPerSecond: z.number(),
  etaSeconds: z.number(),
})
export type TrainingProgress = z.infer<typeof TrainingProgressShape>

export const trainingEvents = {
  'training.progress': TrainingProgressShape.extend({ runId: z.number() }),
  'training.status': z.object({
    runId: z.number(),
    status: TrainingStatus,
    message: z.string().optional(),
  }),
}
