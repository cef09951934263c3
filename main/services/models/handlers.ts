import type { hardwareMethods } from '../../contract/hardware'
import type { modelsMethods } from '../../contract/models'
import type { Handlers } from '../../contract/router'
import { ApiError } from '../../contract/define'
import type { EngineModelRef, TextEngine } from '../engine/engine'
import type { EventBus } from '../eventBus'
import type { GgufExporter } from './ggufExport'
import type { ModelRegistry } from './registry'
import type { HardwareInfo, ProviderSpeed } from '../../contract/hardware'
import type { InstallProgress } from '../engine/cudaInstall'

type ModelsHandlers = Pick<Handlers, keyof typeof modelsMethods | keyof typeof hardwareMethods>

export interface ModelsDeps {
  registry: ModelRegistry
  engine: TextEngine
  bus: EventBus
  /** Probes the execution providers where onnxruntime runs (the compute process). */
  probeHardware: () => Promise<HardwareInfo>
  /** Decode speed of a model on each of these providers, in the compute process. */
  benchmark: (
    model: EngineModelRef,
    providers: string[],
    tokens: number,
  ) => Promise<ProviderSpeed[]>
  installCuda: (onProgress: (p: InstallProgress) => void) => Promise<boolean>
  exporter: GgufExporter
}

export function createModelsHandlers(deps: ModelsDeps): ModelsHandlers {
  const { registry, engine, bus } = deps
  const state = () => ({
    models: registry.list(),
    selectedId: registry.selectedId(),
    loadedId: engine.loadedModelId(),
  })
  const changed = () =>
    bus.emit('models.changed', {
      selectedId: registry.selectedId(),
      loadedId: engine.loadedModelId(),
    })
  let installing = false
  return {
    'models.add': ({ path, quantization }) => {
      const entry = registry.add(path, { quantization })
      changed()
      return entry
    },
    'models.list': () => state(),
    'models.remove': async ({ id, deleteFiles, confirmDeleteFiles }) => {
      // Free the weights before the files may go.
      if (engine.loadedModelId() === id) await engine.unload()
      const result = registry.remove(id, { deleteFiles, confirmDeleteFiles })
      changed()
      return result
    },
    'models.select': ({ id }) => {
      registry.select(id)
      changed()
      return state()
    },
    'models.rename': ({ id, name }) => {
      const entry = registry.rename(id, name)
      changed()
      return entry
    },
    'models.setQuantization': ({ id, quantization }) => registry.setQuantization(id, quantization),
    'models.exportGguf': (request) => deps.exporter.export(request),
    'models.cancelExport': () => deps.exporter.cancel(),
    'hardware.get': () => deps.probeHardware(),
    'hardware.benchmark': async ({ tokens }) => {
      const id = registry.selectedId()
      const model = id !== null ? registry.get(id) : null
      if (!model || model.missing) {
        throw new ApiError('not_found', 'Select a model in the Models tab first: Test runs it.')
      }
      const info = await deps.probeHardware()
      const providers = info.providers.filter((p) => p.state === 'works').map((p) => p.name)
      const ref = {
        id: model.id,
        name: model.name,
        path: model.path,
        quantization: model.quantization,
      }
      return { modelName: model.name, results: await deps.benchmark(ref, providers, tokens) }
    },
    'hardware.installCuda': () => {
      if (installing) return { started: false }
      installing = true
      void deps
        .installCuda((p) => bus.emit('hardware.installProgress', p))
        .finally(() => {
          installing = false
        })
      return { started: true }
    },
  }
}
