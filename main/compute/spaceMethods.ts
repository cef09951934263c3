// The space's work in the compute child: word vectors, PCA and nearest neighbours on
// onnxruntime, and models for token embeddings and the context view. The main process keeps
// only the saved view state; a native crash here ends the child, never the app.
import type { CallContext } from '../contract/router'
import {
  spaceWorkHandlers,
  type SpaceWorkHandlers,
  type SpaceWorkMethod,
} from '../services/space/handlers'
import { inProcessModelPort } from '../services/space/modelPort'
import { SpaceService } from '../services/space/spaceService'
import type { ComputeCallContext } from './methods'

export interface SpaceWorkEvent {
  name: 'space.progress'
  payload: unknown
}

export interface SpaceComputeMethods {
  'space.work': {
    input: {
      dataDir: string
      /** The folder of the model chosen for chat: a model source without a folder uses it. */
      currentModelDir: string | null
      method: SpaceWorkMethod
      /** Already checked against the contract by the main process's router. */
      input: unknown
    }
    output: unknown
    event: SpaceWorkEvent
  }
}

interface SpaceHost {
  handlers: SpaceWorkHandlers
  currentModelDir: string | null
}

const noEvents: CallContext = { emit: () => {} }

/** The space's handlers; one service per data folder, made at its first call. */
export function spaceComputeHandlers(graphCacheDir?: string) {
  const hosts = new Map<string, SpaceHost>()
  // Progress goes to the latest call still running (only open and project report any).
  const listeners: Array<(event: SpaceWorkEvent) => void> = []
  const hostFor = (dataDir: string): SpaceHost => {
    let host = hosts.get(dataDir)
    if (!host) {
      const made: SpaceHost = { handlers: {} as SpaceWorkHandlers, currentModelDir: null }
      const service = new SpaceService({
        dataDir,
        emit: (name, payload) => listeners.at(-1)?.({ name, payload }),
        models: inProcessModelPort(() => made.currentModelDir, graphCacheDir),
      })
      made.handlers = spaceWorkHandlers(service)
      hosts.set(dataDir, (host = made))
    }
    return host
  }
  return {
    'space.work': async (
      { dataDir, currentModelDir, method, input }: SpaceComputeMethods['space.work']['input'],
      ctx: ComputeCallContext<'space.work'>,
    ): Promise<unknown> => {
      const host = hostFor(dataDir)
      host.currentModelDir = currentModelDir
      const listener = (event: SpaceWorkEvent) => ctx.emit(event)
      listeners.push(listener)
      try {
        const handler = host.handlers[method] as (input: unknown, ctx: CallContext) => unknown
        return await handler(input, noEvents)
      } finally {
        listeners.splice(listeners.indexOf(listener), 1)
      }
    },
  }
}
