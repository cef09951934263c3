// The chat domain wired for the composition root (main/services/index.ts): registry,
// engine over the compute child, chat service and their handlers.
import type Database from 'better-sqlite3'
import type { ComputeClient } from '../../compute/client'
import type { Handlers } from '../../contract/router'
import { ComputeEngine } from '../engine/computeEngine'
import { installCudaProvider } from '../engine/cudaInstall'
import type { TextEngine } from '../engine/engine'
import type { EventBus } from '../eventBus'
import { createModelsHandlers } from '../models/handlers'
import { findDefaultModelDir, ModelRegistry } from '../models/registry'
import type { SessionStore } from '../store'
import { ChatService } from './chatService'
import { createChatHandlers } from './handlers'

export interface ChatDomainDeps {
  db: Database.Database
  store: SessionStore
  bus: EventBus
  compute: ComputeClient
  /** native-models/default/ (found beside the install when not given; null: none). */
  defaultModelDir?: string | null
  /** Replaces the compute-backed engine (tests). */
  engine?: TextEngine & { hardware?: ComputeEngine['hardware'] }
}

export function createChatDomain(deps: ChatDomainDeps) {
  const registry = new ModelRegistry(deps.db)
  registry.registerDefault(
    deps.defaultModelDir === undefined ? findDefaultModelDir() : deps.defaultModelDir,
  )
  const computeEngine = new ComputeEngine(deps.compute)
  const engine = deps.engine ?? computeEngine
  const chat = new ChatService({ db: deps.db, store: deps.store, registry, engine, bus: deps.bus })
  const handlers = {
    ...createChatHandlers({ chat }),
    ...createModelsHandlers({
      registry,
      engine,
      bus: deps.bus,
      probeHardware: () => computeEngine.hardware(),
      installCuda: installCudaProvider,
    }),
  } satisfies Partial<Handlers>
  return { registry, engine, chat, handlers }
}
