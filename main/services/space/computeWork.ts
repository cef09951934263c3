// The space's work calls, run in the compute child (main/compute/spaceMethods.ts): the main
// process never loads onnxruntime for the space's vectors or models.
import type { EventPayload } from '../../contract'
import type { ComputeClient } from '../../compute/client'
import type { EventBus } from '../eventBus'
import type { SpaceWorkHandlers, SpaceWorkMethod } from './handlers'

export function computeSpaceWork(deps: {
  compute: ComputeClient
  dataDir: string
  bus: EventBus
  /** The folder of the model chosen for chat, if any. */
  currentModelDir: () => string | null
}): SpaceWorkHandlers {
  // The child answers with what the same typed handler returns in process (spaceWorkHandlers).
  const call =
    (method: SpaceWorkMethod) =>
    async (input: unknown): Promise<never> =>
      (await deps.compute.request(
        'space.work',
        { dataDir: deps.dataDir, currentModelDir: deps.currentModelDir(), method, input },
        {
          // The child's SpaceService emits the contract's space.progress payloads.
          onEvent: (event) =>
            deps.bus.emit(event.name, event.payload as EventPayload<'space.progress'>),
        },
      )) as never
  return {
    'space.open': call('space.open'),
    'space.project': call('space.project'),
    'space.column': call('space.column'),
    'space.neighbours': call('space.neighbours'),
    'space.analogy': call('space.analogy'),
    'space.context': call('space.context'),
    'space.cancel': call('space.cancel'),
  }
}
