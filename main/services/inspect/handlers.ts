import { ApiError } from '../../contract/define'
import type { Handlers } from '../../contract/router'
import type { inspectMethods } from '../../contract/inspect'
import { inspectionKey, type InspectionCache, type InspectionSummary } from './cache'
import type { ContinueRequest, InspectRequest } from './localInspector'

/** Where the model runs: the compute child in the app, this process in the CLI and tests. */
export interface InspectBackend {
  inspect(
    req: InspectRequest & { attentionDir: string },
  ): Promise<{ summary: InspectionSummary; computeMs: number }>
  continueFrom(req: ContinueRequest & { modelId: number }): Promise<{
    prefixText: string
    chosenText: string
    text: string
    ids: number[]
  }>
}

export interface InspectDeps {
  cache: InspectionCache
  backend: InspectBackend
  /** A chat message's text and the model that wrote it, as its stats name it (null for a
   * person's message). */
  readMessage(id: number): { content: string; modelId: number | null } | null
  /**
   * The registry model to use: the one asked for, else the one that wrote the message, else
   * the selected one; null when there is none.
   */
  resolveModel(asked: number | undefined, fromMessage: number | null): ModelRef | null
}

export interface ModelRef {
  id: number
  name: string
}

export function createInspectHandlers(
  deps: InspectDeps,
): Pick<Handlers, keyof typeof inspectMethods> {
  // Two clicks on the same message share one computation instead of running it twice.
  const inFlight = new Map<string, Promise<{ summary: InspectionSummary; computeMs: number }>>()

  const modelFor = (asked: number | undefined, fromMessage: number | null) => {
    const model = deps.resolveModel(asked, fromMessage)
    if (!model) throw new ApiError('conflict', 'No model to look inside: add or pick one first.')
    return model
  }

  return {
    'inspect.text': async (input) => {
      let text = input.text
      let messageModel: number | null = null
      if (input.messageId !== undefined) {
        const message = deps.readMessage(input.messageId)
        if (!message) throw new ApiError('not_found', `No message ${input.messageId}.`)
        text = message.content
        messageModel = message.modelId
      }
      if (!text) throw new ApiError('bad_request', 'There is no text to look inside.')
      const model = modelFor(input.modelId, messageModel)
      const messageId = input.messageId ?? null
      const key = inspectionKey(model.id, text, input.topK)
      const hit = deps.cache.get(key)
      if (hit) return { ...hit, messageId: messageId ?? hit.messageId }

      let job = inFlight.get(key)
      if (!job) {
        job = deps.backend.inspect({
          modelId: model.id,
          modelName: model.name,
          text,
          topK: input.topK,
          attentionDir: deps.cache.dirFor(key),
        })
        inFlight.set(key, job)
        void job.finally(() => inFlight.delete(key)).catch(() => {})
      }
      const { summary, computeMs } = await job
      deps.cache.put(key, { messageId, topK: input.topK }, summary, computeMs)
      return { ...summary, key, messageId, cached: false, computeMs }
    },

    'inspect.attention': (input) => {
      const found = deps.cache.shape(input.key)
      if (!found) throw new ApiError('not_found', 'That analysis is gone: look inside again.')
      if (input.layer >= found.numLayers) {
        throw new ApiError('bad_request', `Layer ${input.layer} does not exist.`)
      }
      let weights: Buffer
      try {
        weights = deps.cache.readAttention(input.key, input.layer)
      } catch {
        deps.cache.delete(input.key)
        throw new ApiError('not_found', 'That analysis lost its files: look inside again.')
      }
      return {
        layer: input.layer,
        numHeads: found.numHeads,
        seqLen: found.seqLen,
        weights: weights.toString('base64'),
      }
    },

    'inspect.continue': async (input) => {
      const model = modelFor(input.modelId, null)
      return deps.backend.continueFrom({
        modelId: model.id,
        ids: input.ids,
        chosenTokenId: input.chosenTokenId,
        maxTokens: input.maxTokens,
      })
    },
  }
}
