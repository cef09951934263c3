// The Inside view's calls in the compute child: analyse a text with the engine's loaded
// model (attention files are written straight to the cache folder, so megabytes of weights
// never cross the IPC channel) and branch by token.
import type { EngineModelRef } from '../services/engine/engine'
import type { InspectionSummary } from '../services/inspect/cache'
import { continueFrom, inspectToFiles } from '../services/inspect/localInspector'
import { greedyContinuation } from '../services/engine/modelAdapter'
import type { ModelHost } from './engineMethods'

export interface ContinueResult {
  prefixText: string
  chosenText: string
  text: string
  ids: number[]
}

export interface InspectComputeMethods {
  'inspect.analyze': {
    input: { model: EngineModelRef; text: string; topK: number; attentionDir: string }
    output: { summary: InspectionSummary; computeMs: number }
    event: never
  }
  'inspect.continue': {
    input: { model: EngineModelRef; ids: number[]; chosenTokenId: number; maxTokens: number }
    output: ContinueResult
    event: never
  }
}

type In<M extends keyof InspectComputeMethods> = InspectComputeMethods[M]['input']

export function inspectComputeHandlers({ withLoadedModel }: ModelHost) {
  return {
    'inspect.analyze': ({ model, ...req }: In<'inspect.analyze'>) =>
      withLoadedModel(model, (loaded) =>
        inspectToFiles(loaded, { ...req, modelId: model.id, modelName: model.name }),
      ),
    'inspect.continue': ({ model, ...req }: In<'inspect.continue'>) =>
      withLoadedModel(model, (loaded) =>
        continueFrom(loaded, req, greedyContinuation(model.name, loaded)),
      ),
  }
}
