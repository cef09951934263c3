import type { hardwareMethods } from '../../contract/hardware'
import type { modelsMethods } from '../../contract/models'
import type { Handlers } from '../../contract/router'
import type { TextEngine } from '../engine/engine'
import type { EventBus } from '../eventBus'
import type { GgufExporter } from './ggufExport'
import type { ModelRegistry } from './registry'
import type { HardwareInfo } from '../../contract/hardware'
import type { InstallProgress } from '../engine/cudaInstall'

type ModelsHandlers = Pick<Handlers, keyof typeof modelsMethods | keyof typeof hardwareMethods>

export interface ModelsDeps {
  registry: ModelRegistry
  engine: TextEngine
  bus: EventBus
  /** Probes the execution providers where onnxruntime runs (the compute process). */
  probeHardware: () => Promise<HardwareInfo>
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
