import { analyzeInsides, attentionAsNested, type InsideAnalysis } from './analyze'
import type { InspectionSummary } from './cache'
import { writeAttentionFiles } from './cache'
import { createLensHead, type HeadWeights, type LensTop1 } from './lensHead'
import type { LoadedModel } from '../../../native-models/runtime/types'
import { greedyContinuation, type ContinueIds } from '../engine/modelAdapter'
import type { InspectBackend } from './handlers'
import type { InsidesData, InspectableModel } from './types'

/**
 * The part of native-models' LoadedModel the inspector uses, written structurally so the
 * same code runs in the compute child (the engine's loaded model), the CLI and tests.
 */
export interface InspectorModel {
  info: { eosTokenIds: number[]; vocabSize: number; contextLength: number }
  tokenizer: {
    encode(text: string): number[]
    decode(ids: number[], opts?: { skipSpecialTokens?: boolean }): string
  }
  insides(ids: number[]): Promise<InsidesData>
  finalNormAndHead(hidden: Float32Array): Float32Array | Promise<Float32Array>
  /** The final norm and LM head's weights, when the model exposes them (fast logit lens). */
  headWeights?(): HeadWeights
  newSession(): {
    prefill(ids: number[]): Promise<Float32Array>
    decode(id: number): Promise<Float32Array>
    dispose(): Promise<void>
  }
}

// One lens graph per loaded model, built at its first inspection and dropped with the model.
const lensHeads = new WeakMap<InspectorModel, Promise<LensTop1>>()

function lensFor(model: InspectorModel): Promise<LensTop1> | null {
  if (!model.headWeights) return null
  let lens = lensHeads.get(model)
  if (!lens) {
    lens = createLensHead(model.headWeights())
    lensHeads.set(model, lens)
  }
  return lens
}

const f32 = (a: ArrayLike<number>) => (a instanceof Float32Array ? a : Float32Array.from(a))

export function inspectable(model: InspectorModel): InspectableModel {
  const texts = new Map<number, string>()
  const lens = lensFor(model)
  return {
    lensTop1: lens ? async (hidden, positions) => (await lens)(f32(hidden), positions) : undefined,
    vocabSize: model.info.vocabSize,
    insides: (ids) => model.insides(ids),
    finalNormAndHead: (hidden) => model.finalNormAndHead(f32(hidden)),
    tokenText: (id) => {
      let t = texts.get(id)
      if (t === undefined) {
        t = model.tokenizer.decode([id], { skipSpecialTokens: false })
        texts.set(id, t)
      }
      return t
    },
  }
}

/**
 * The most tokens one analysis covers: attention grows with the square of the length
 * (512 tokens of a 30-layer, 9-head model are 280 MB of weights on disk), and a view of
 * more than a few hundred tokens is unreadable anyway.
 */
export const MAX_INSPECT_TOKENS = 512

export interface InspectRequest {
  modelId: number
  modelName: string
  text: string
  topK: number
  /** The window's first token (see inspect.text's start); 0 when absent. */
  start?: number
}

/** Tokenizes and analyses a text; the caller decides where the attention goes. */
export async function inspectText(
  model: InspectorModel,
  req: InspectRequest,
): Promise<{ analysis: InsideAnalysis; summary: InspectionSummary; computeMs: number }> {
  const started = performance.now()
  const all = model.tokenizer.encode(req.text)
  // A longer text is analysed a window at a time: the model reads at most its context.
  const limit = Math.min(MAX_INSPECT_TOKENS, model.info.contextLength)
  const start = Math.max(0, Math.min(req.start ?? 0, all.length - limit))
  const ids = all.slice(start, start + limit)
  const analysis = await analyzeInsides(inspectable(model), ids, { topK: req.topK })
  const { attentions: _attentions, ...rest } = analysis
  const summary: InspectionSummary = {
    ...rest,
    modelId: req.modelId,
    modelName: req.modelName,
    text: req.text,
    totalTokens: all.length,
    windowStart: start,
    windowLimit: limit,
  }
  return { analysis, summary, computeMs: performance.now() - started }
}

/** What the compute child runs: analyse, write attention files, answer with the summary. */
export async function inspectToFiles(
  model: InspectorModel,
  req: InspectRequest & { attentionDir: string },
): Promise<{ summary: InspectionSummary; computeMs: number }> {
  const { analysis, summary, computeMs } = await inspectText(model, req)
  writeAttentionFiles(req.attentionDir, analysis.attentions)
  return { summary, computeMs }
}

/** The CLI's JSON: the summary plus attention as [layer][head][query][key]. */
export function inspectionJson(result: Awaited<ReturnType<typeof inspectText>>) {
  const { analysis, computeMs } = result
  // Thumbnails are a view's shortcut; the CLI has the full attention below.
  const { thumbnails: _t, thumbnailSize: _s, modelId: _id, ...summary } = result.summary
  return {
    ...summary,
    computeMs,
    attention: analysis.attentions.map((a) =>
      attentionAsNested(a, analysis.numHeads, analysis.seqLen),
    ),
  }
}

export interface ContinueRequest {
  ids: number[]
  chosenTokenId: number
  maxTokens: number
}

/**
 * Branching by token: the prefix, then the chosen token instead of what the model or the
 * text had, then a greedy continuation (greedy so the same click gives the same branch).
 */
export async function continueFrom(
  model: InspectorModel,
  req: ContinueRequest,
  continueIds: ContinueIds,
) {
  if (req.chosenTokenId >= model.info.vocabSize) {
    throw new Error(`Token ${req.chosenTokenId} is outside the vocabulary.`)
  }
  const generated = [req.chosenTokenId]
  if (req.maxTokens > 1)
    generated.push(...(await continueIds([...req.ids, req.chosenTokenId], req.maxTokens - 1)))
  // Decoding prefix + branch together and cutting off the prefix keeps the spacing a
  // tokenizer applies at word starts (SentencePiece's ▁, byte-level Ġ) right.
  const decode = (ids: number[]) => model.tokenizer.decode(ids, { skipSpecialTokens: false })
  const prefixText = decode(req.ids)
  const after = (ids: number[]) => {
    const full = decode([...req.ids, ...ids])
    return full.startsWith(prefixText) ? full.slice(prefixText.length) : decode(ids)
  }
  return {
    prefixText,
    chosenText: after([req.chosenTokenId]),
    text: after(generated),
    ids: generated,
  }
}

/** A backend that runs models in this process, loaded by id (CLI, tests). */
export function localBackend(load: (modelId: number) => Promise<LoadedModel>): InspectBackend {
  return {
    inspect: async (req) => inspectToFiles(await load(req.modelId), req),
    continueFrom: async (req) => {
      const model = await load(req.modelId)
      return continueFrom(model, req, greedyContinuation(`model ${req.modelId}`, model))
    },
  }
}
