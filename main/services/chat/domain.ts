// The chat domain wired for the composition root (main/services/index.ts): registry,
// engine over the compute child, chat service and their handlers.
import type Database from 'better-sqlite3'
import type { ComputeClient } from '../../compute/client'
import type { Handlers } from '../../contract/router'
import { ComputeEngine } from '../engine/computeEngine'
import { installCudaProvider } from '../engine/cudaInstall'
import type { TextEngine } from '../engine/engine'
import type { EventBus } from '../eventBus'
import { computeExportRunner, GgufExporter } from '../models/ggufExport'
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

/**
 * GLASSBOX_DEFAULT_MODEL: a folder to use as the shipped default, or 'none' (tests that
 * need an app without a model); unset: native-models/default/ when it exists.
 */
function defaultModelFromEnvironment(): string | null {
  const value = process.env.GLASSBOX_DEFAULT_MODEL
  if (value === 'none') return null
  return value || findDefaultModelDir()
}

export function createChatDomain(deps: ChatDomainDeps) {
  const registry = new ModelRegistry(deps.db)
  registry.registerDefault(
    deps.defaultModelDir !== undefined ? deps.defaultModelDir : defaultModelFromEnvironment(),
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
      benchmark: (model, providers, tokens) => computeEngine.benchmark(model, providers, tokens),
      installCuda: installCudaProvider,
      exporter: new GgufExporter(registry, deps.bus, computeExportRunner(deps.compute)),
    }),
  } satisfies Partial<Handlers>
  return { registry, engine, chat, handlers }
}
