// The Inside domain wired for the composition root: the per-message cache, the compute
// child as the place the model runs, and the registry and sessions store for names.
import type Database from 'better-sqlite3'
import type { ComputeClient } from '../../compute/client'
import type { EngineModelRef } from '../engine/engine'
import type { ModelRegistry } from '../models/registry'
import type { SessionStore } from '../store'
import { InspectionCache } from './cache'
import { createInspectHandlers, type InspectBackend } from './handlers'

export interface InspectDomainDeps {
  db: Database.Database
  dataDir: string
  store: SessionStore
  registry: ModelRegistry
  compute: ComputeClient
}

export function createInspectDomain(deps: InspectDomainDeps) {
  const cache = new InspectionCache(deps.db, deps.dataDir)
  cache.prune()
  const refOf = (id: number): EngineModelRef => {
    const m = deps.registry.get(id)
    return { id: m.id, name: m.name, path: m.path, quantization: m.quantization }
  }
  // The child loads the model through the chat engine, so chatting and looking inside share
  // one copy of it in memory.
  const backend: InspectBackend = {
    inspect: ({ modelId, modelName: _name, ...req }) =>
      deps.compute.request('inspect.analyze', { model: refOf(modelId), ...req }),
    continueFrom: ({ modelId, ...req }) =>
      deps.compute.request('inspect.continue', { model: refOf(modelId), ...req }),
  }
  const handlers = createInspectHandlers({
    cache,
    backend,
    readMessage: (id) => {
      try {
        const m = deps.store.getMessage(id)
        return { content: m.content, modelId: m.stats?.modelId ?? null }
      } catch {
        return null
      }
    },
    resolveModel: (asked, fromMessage) => {
      if (asked !== undefined) return deps.registry.get(asked)
      const models = deps.registry.list().filter((m) => !m.missing)
      // The model that wrote the message, while it is still registered and on disk.
      const wrote = fromMessage !== null ? models.find((m) => m.id === fromMessage) : undefined
      if (wrote) return wrote
      const selected = deps.registry.selectedId()
      return selected !== null ? deps.registry.get(selected) : null
    },
  })
  return { cache, handlers }
}
