// The Learn views' calls: word2vec runs and the feed-forward reading, both done in the
// compute child (onnxruntime and the weights live there); this side checks the request,
// keeps one word2vec run at a time and relays its progress to the UI.
import path from 'node:path'
import type { ComputeClient } from '../../compute/client'
import { ApiError } from '../../contract/define'
import type { Handlers } from '../../contract/router'
import type { EngineModelRef } from '../engine/engine'
import type { EventBus } from '../eventBus'
import type { ModelRegistry } from '../models/registry'

export interface LearnViewsDeps {
  /** Each word2vec run's vectors are saved under <dataDir>/word2vec/. */
  dataDir: string
  compute: ComputeClient
  bus: EventBus
  registry: ModelRegistry
}

type LearnViewsHandlers = Pick<Handlers, 'word2vec.train' | 'word2vec.stop' | 'feedForward.analyze'>

export function createLearnViewsHandlers(deps: LearnViewsDeps): LearnViewsHandlers {
  let running: AbortController | null = null
  let nextRunId = 1
  const modelRef = (asked: number | undefined): EngineModelRef => {
    const id = asked ?? deps.registry.selectedId()
    if (id === null) throw new ApiError('not_found', 'No model is selected: add one in Models.')
    const m = deps.registry.get(id)
    return { id: m.id, name: m.name, path: m.path, quantization: m.quantization }
  }
  return {
    'word2vec.train': async ({ settings }) => {
      if (running) throw new ApiError('busy', 'A word2vec run is already going; stop it first.')
      if (settings.corpus === 'text' && !settings.text?.trim()) {
        throw new ApiError('bad_request', 'settings.text: give the text to train on.')
      }
      const controller = new AbortController()
      running = controller
      const runId = nextRunId++
      try {
        return await deps.compute.request(
          'word2vec.train',
          { runId, settings, saveDir: path.join(deps.dataDir, 'word2vec') },
          {
            signal: controller.signal,
            onEvent: (progress) => deps.bus.emit('word2vec.progress', progress),
          },
        )
      } finally {
        running = null
      }
    },
    'word2vec.stop': () => {
      const had = running !== null
      running?.abort()
      return { stopped: had }
    },
    // The child's errors keep their code (a bad layer or an empty text is bad_request).
    'feedForward.analyze': (request) =>
      deps.compute.request('feedForward.analyze', { model: modelRef(request.modelId), request }),
  }
}
