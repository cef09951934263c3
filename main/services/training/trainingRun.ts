import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { readModelFolder } from '../../../native-models/io/modelFolder'
import { writeSafetensors } from '../../../native-models/io/safetensors'
import { Evaluator } from '../../../native-models/training/evaluator'
import {
  addLoraAdapters,
  dropoutMasks,
  mergeLora,
  peftAdapter,
} from '../../../native-models/training/lora'
import { toHfLayout, trainableForward } from '../../../native-models/training/modelTraining'
import { batchAt, batchesPerEpoch } from '../../../native-models/training/packing'
import { learningRate } from '../../../native-models/training/schedule'
import { Trainer } from '../../../native-models/training/trainer'
import { buildTrainingGraph } from '../../../native-models/training/trainingGraph'
import { readCheckpoint, writeCheckpoint, type CheckpointMeta } from './checkpoint'
import { ApiError } from '../../contract/define'
import { changedDataError, hashAccepted } from './changedData'
import { inspectFiles, noUsableFilesMessage, type FileVerdict } from './dataFiles'
import { prepareData } from './prepareData'
import type { TrainingProgress } from '../../contract/training'
import type { RunSettings } from './runSettings'
import { StepRate } from './stepRate'

export { DEFAULT_SETTINGS, type RunSettings } from './runSettings'

// One fine-tuning run from files to a model folder: inspect files, tokenize and pack in a
// worker, build the training graph of the model's own architecture (full or LoRA), train
// with checkpoints, export. Resumes from the run folder's checkpoint when there is one.

export type RunProgress = TrainingProgress

export interface RunHooks {
  onFiles?(verdicts: FileVerdict[], plan: { tokens: number; totalSteps: number }): void
  onProgress?(p: RunProgress): void
  onCheckpoint?(step: number): void
  /** Checked between steps: 'stop' ends the run after writing a checkpoint. */
  shouldStop?(): boolean
  /** Resolves when a paused run may continue (called between steps). */
  waitWhilePaused?(): Promise<void>
}

export interface RunResult {
  status: 'finished' | 'stopped'
  steps: number
  curve: CheckpointMeta['curve']
  baseValLoss: number
  finalValLoss: number
  verdicts: FileVerdict[]
}

export async function runTraining(s: RunSettings, hooks: RunHooks = {}): Promise<RunResult> {
  const folder = readModelFolder(s.modelDir)
  const { verdicts, texts } = await inspectFiles(s.dataPaths)
  if (texts.length === 0) throw new ApiError('bad_request', noUsableFilesMessage(verdicts))
  const dataFiles = hashAccepted(verdicts, texts)
  const refusal = s.acceptChangedData ? null : changedDataError(s.runDir, dataFiles)
  if (refusal) throw refusal
  const eos = folder.cfg.eosTokenIds[0] ?? 0
  const data = await prepareData({
    texts,
    tokenizerJson: folder.tokenizerJson,
    tokenizerConfig: folder.tokenizerConfig,
    seqLen: s.seqLen,
    eosId: eos,
    heldOutFraction: s.heldOutFraction,
    seed: s.seed,
  })
  if (data.train.count === 0) throw new Error('the text is too short for one training sequence')
  const perEpoch = batchesPerEpoch(data.train, s.batchSize)
  const totalSteps = s.maxSteps > 0 ? s.maxSteps : Math.max(1, Math.round(perEpoch * s.epochs))
  hooks.onFiles?.(verdicts, { tokens: data.tokens, totalSteps })

  const fwd = trainableForward(folder.cfg, folder.weights)
  const loraOptions = { rank: s.loraRank, alpha: s.loraAlpha, targets: s.loraTargets, seed: s.seed }
  const lora =
    s.mode === 'lora'
      ? addLoraAdapters(fwd.model, { ...loraOptions, dropout: s.loraDropout })
      : null
  // Dropout only while training: validation runs the same adapters without it.
  const loraEval = lora && s.loraDropout > 0 ? addLoraAdapters(fwd.model, loraOptions) : lora
  const masksAt = (step: number) =>
    lora && s.loraDropout > 0
      ? dropoutMasks(lora, s.loraDropout, s.batchSize, s.seqLen, s.seed, step)
      : {}
  const spec = {
    forward: lora ? lora.model : fwd.model,
    inputIds: 'input_ids',
    logits: 'logits',
    vocabSize: folder.cfg.vocabSize,
    batch: s.batchSize,
    seqLen: s.seqLen,
    trainable: lora ? lora.trainable : fwd.weights,
    fixedInputs: fwd.fixedInputs(s.batchSize, s.seqLen),
    stepInputs: masksAt(0),
  }
  const threads = s.threads > 0 ? s.threads : undefined
  const trainer = await Trainer.create(await buildTrainingGraph(spec), 'input_ids', {
    threads,
    optimizer: { weightDecay: s.weightDecay },
  })
  const evaluator = await Evaluator.create(
    await buildTrainingGraph({
      ...spec,
      forward: loraEval ? loraEval.model : fwd.model,
      stepInputs: {},
      mode: 'eval',
    }),
    'input_ids',
    s.batchSize,
    threads,
  )
  const names = trainer.graph.params
  const shapes = trainer.graph.shapes
  const evalLoss = (): Promise<number> => evaluator.loss(trainer.state.params, data.heldOut, 8)

  const resumed = readCheckpoint(s.runDir, names)
  let meta: CheckpointMeta = resumed?.meta ?? {
    step: 0,
    tokensSeen: 0,
    curve: [],
    elapsedSeconds: 0,
  }
  if (resumed) trainer.state = resumed.state
  const baseValLoss = data.heldOut.count
    ? await evaluator.loss(trainer.graph.initial as Float32Array[], data.heldOut, 8)
    : NaN
  const schedule = { peak: s.learningRate, warmupSteps: s.warmupSteps, totalSteps }
  const started = Date.now()
  const pace = new StepRate()
  const elapsedBefore = meta.elapsedSeconds
  let status: RunResult['status'] = 'finished'
  try {
    for (let step = meta.step + 1; step <= totalSteps; step++) {
      await hooks.waitWhilePaused?.()
      if (hooks.shouldStop?.()) {
        status = 'stopped'
        break
      }
      const lr = learningRate(schedule, step)
      const batch = batchAt(data.train, s.batchSize, s.seed, step - 1)
      const r = await trainer.step([batch], lr, masksAt(step))
      const tokens = batch.lossMask.reduce((a, x) => a + x, 0)
      const valLoss =
        data.heldOut.count && (step % s.evalEvery === 0 || step === totalSteps)
          ? await evalLoss()
          : undefined
      const elapsed = (Date.now() - started) / 1000
      meta = {
        step,
        tokensSeen: meta.tokensSeen + tokens,
        curve: [...meta.curve, { step, trainLoss: r.loss, valLoss, lr }],
        elapsedSeconds: elapsedBefore + elapsed,
        dataFiles,
      }
      pace.stepEnded(step, started)
      const rate = pace.stepsPerSecond(step) * s.batchSize * s.seqLen
      hooks.onProgress?.({
        step,
        totalSteps,
        tokens: meta.tokensSeen,
        trainLoss: r.loss,
        valLoss: valLoss ?? null,
        lr,
        tokensPerSecond: rate,
        etaSeconds: pace.etaSeconds(step, totalSteps),
      })
      if (step % s.checkpointEvery === 0 || step === totalSteps) {
        writeCheckpoint(s.runDir, names, shapes, trainer.state, meta)
        hooks.onCheckpoint?.(step)
      }
    }
    if (status === 'stopped' && meta.step > 0)
      writeCheckpoint(s.runDir, names, shapes, trainer.state, meta)
    const finalValLoss = data.heldOut.count
      ? await evaluator.loss(trainer.state.params, data.heldOut, 8)
      : NaN
    if (status === 'finished')
      exportModel(s, folder, fwd, lora, trainer.state.params, names, shapes)
    return { status, steps: meta.step, curve: meta.curve, baseValLoss, finalValLoss, verdicts }
  } finally {
    await trainer.release()
    await evaluator.release()
  }
}

function exportModel(
  s: RunSettings,
  folder: ReturnType<typeof readModelFolder>,
  fwd: ReturnType<typeof trainableForward>,
  lora: ReturnType<typeof addLoraAdapters> | null,
  params: Float32Array[],
  names: string[],
  shapes: number[][],
): void {
  mkdirSync(s.outDir, { recursive: true })
  const cfg = folder.cfg
  const graphInits = new Map((fwd.model.graph!.initializer ?? []).map((t) => [t.name!, t]))
  const graphShape = (n: string): number[] => (graphInits.get(n)!.dims ?? []).map(Number)
  const graphData = (n: string): Float32Array => {
    const raw = graphInits.get(n)!.rawData!
    return new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength))
  }
  let merged: { name: string; shape: number[]; data: Float32Array }[]
  if (!lora) {
    merged = names.map((n, i) => toHfLayout(cfg, n, shapes[i], params[i]))
  } else {
    const values = new Map(names.map((n, i) => [n, params[i]]))
    const byWeight = new Map(lora.modules.map((m) => [m.weight, m]))
    merged = fwd.weights.map((n) => {
      const m = byWeight.get(n)
      const w = m
        ? mergeLora(
            graphData(n),
            m,
            values.get(m.aName)!,
            values.get(m.bName)!,
            lora.scale,
            s.loraRank,
          )
        : graphData(n)
      return toHfLayout(cfg, n, graphShape(n), w)
    })
    const peft = peftAdapter(
      cfg,
      lora,
      values,
      { rank: s.loraRank, alpha: s.loraAlpha, targets: s.loraTargets, dropout: s.loraDropout },
      s.modelDir,
    )
    writeSafetensors(join(s.outDir, 'adapter_model.safetensors'), peft.tensors, 'F32')
    writeFileSync(join(s.outDir, 'adapter_config.json'), JSON.stringify(peft.config, null, 2))
  }
  writeSafetensors(join(s.outDir, 'model.safetensors'), merged, 'F32')
  const config = { ...folder.configJson, torch_dtype: 'float32' }
  writeFileSync(join(s.outDir, 'config.json'), JSON.stringify(config, null, 2))
  for (const f of ['tokenizer.json', 'tokenizer_config.json', 'generation_config.json']) {
    if (existsSync(join(s.modelDir, f))) copyFileSync(join(s.modelDir, f), join(s.outDir, f))
  }
}
