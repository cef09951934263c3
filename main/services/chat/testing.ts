// Test helpers for the chat service: a real database in a temp folder, a registered model
// folder, and an engine over the toy model (or a real one).
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type Database from 'better-sqlite3'
import { writeSafetensors } from '../../../native-models/io/safetensors'
import { LocalEngine, type ModelLoader } from '../engine/engine'
import { createToyModel } from '../engine/testing'
import { EventBus } from '../eventBus'
import { ModelRegistry } from '../models/registry'
import { DATABASE_FILE, openDatabase, SessionStore } from '../store'
import { ChatService } from './chatService'

/** A tiny word-level tokenizer.json (four words) that @huggingface/tokenizers reads. */
const STUB_TOKENIZER = {
  version: '1.0',
  truncation: null,
  padding: null,
  added_tokens: [],
  normalizer: null,
  pre_tokenizer: { type: 'Whitespace' },
  post_processor: null,
  decoder: null,
  model: { type: 'WordLevel', vocab: { '<unk>': 0, a: 1, b: 2, c: 3 }, unk_token: '<unk>' },
}

/**
 * A folder that passes the registry's checks (headers, config, shapes, tokenizer): a one-layer
 * Llama of width 8, written synchronously; the toy loader never reads its weights.
 */
export function writeStubModelFolder(dir: string, generationConfig?: object): string {
  fs.mkdirSync(dir, { recursive: true })
  const [h, inter, vocab] = [8, 16, 4]
  fs.writeFileSync(
    path.join(dir, 'config.json'),
    JSON.stringify({
      model_type: 'llama',
      architectures: ['LlamaForCausalLM'],
      max_position_embeddings: 4096,
      hidden_size: h,
      intermediate_size: inter,
      num_hidden_layers: 1,
      num_attention_heads: 2,
      num_key_value_heads: 2,
      vocab_size: vocab,
      tie_word_embeddings: true,
    }),
  )
  const t = (name: string, shape: number[]) => ({
    name,
    shape,
    data: new Float32Array(shape.reduce((a, b) => a * b, 1)),
  })
  const p = 'model.layers.0'
  writeSafetensors(path.join(dir, 'model.safetensors'), [
    t('model.embed_tokens.weight', [vocab, h]),
    t('model.norm.weight', [h]),
    t(`${p}.input_layernorm.weight`, [h]),
    t(`${p}.post_attention_layernorm.weight`, [h]),
    ...['q', 'k', 'v', 'o'].map((n) => t(`${p}.self_attn.${n}_proj.weight`, [h, h])),
    t(`${p}.mlp.gate_proj.weight`, [inter, h]),
    t(`${p}.mlp.up_proj.weight`, [inter, h]),
    t(`${p}.mlp.down_proj.weight`, [h, inter]),
  ])
  fs.writeFileSync(path.join(dir, 'tokenizer.json'), JSON.stringify(STUB_TOKENIZER))
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
