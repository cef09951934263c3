// Test helpers for the chat service: a real database in a temp folder, a registered model
// folder, and an engine over the toy model (or a real one).
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type Database from 'better-sqlite3'
import { LocalEngine, type ModelLoader } from '../engine/engine'
import { createToyModel } from '../engine/testing'
import { EventBus } from '../eventBus'
import { ModelRegistry } from '../models/registry'
import { DATABASE_FILE, openDatabase, SessionStore } from '../store'
import { ChatService } from './chatService'

/** A folder that passes the registry's checks; the toy loader never reads its weights. */
export function writeStubModelFolder(dir: string, generationConfig?: object): string {
  fs.mkdirSync(dir, { recursive: true })
  fs.writeFileSync(
    path.join(dir, 'config.json'),
    JSON.stringify({
      model_type: 'llama',
      architectures: ['LlamaForCausalLM'],
      max_position_embeddings: 4096,
    }),
  )
  fs.writeFileSync(path.join(dir, 'model.safetensors'), Buffer.alloc(16))
  fs.writeFileSync(path.join(dir, 'tokenizer.json'), '{}')
  fs.writeFileSync(path.join(dir, 'tokenizer_config.json'), JSON.stringify({ chat_template: 'x' }))
  if (generationConfig) {
    fs.writeFileSync(path.join(dir, 'generation_config.json'), JSON.stringify(generationConfig))
  }
  return dir
}

export interface ChatFixture {
  dataDir: string
  db: Database.Database
  store: SessionStore
  bus: EventBus
  registry: ModelRegistry
  engine: LocalEngine
  chat: ChatService
  events: { event: string; payload: unknown }[]
}

export function createChatFixture(
  opts: {
    loader?: ModelLoader
    dataDir?: string
    decodeDelayMs?: number
    /** undefined given explicitly: the service's own default. */
    flushIntervalMs?: number
  } = {},
): ChatFixture {
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'glassbox-chat-'))
  const db = openDatabase(path.join(dataDir, DATABASE_FILE))
  const store = new SessionStore(db)
  const bus = new EventBus()
  const registry = new ModelRegistry(db)
  const loader: ModelLoader =
    opts.loader ?? (async () => createToyModel({ decodeDelayMs: opts.decodeDelayMs }).model)
  const engine = new LocalEngine(loader)
  const flushIntervalMs = 'flushIntervalMs' in opts ? opts.flushIntervalMs : 50
  const chat = new ChatService({ db, store, registry, engine, bus, flushIntervalMs })
  const events: { event: string; payload: unknown }[] = []
  bus.on((event, payload) => events.push({ event, payload }))
  return { dataDir, db, store, bus, registry, engine, chat, events }
}
