// Test helper: the API server over a fixture model written to a temp folder, run by the real
// onnxruntime in this process through LocalEngine (the compute child is tested elsewhere).
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import OpenAI from 'openai'
import { loadModel, writeFixtureModel } from '../../../native-models/io'
import type { FixtureOptions, LoadedModel } from '../../../native-models/runtime/types'
import { embedTexts } from '../engine/embed'
import { LocalEngine } from '../engine/engine'
import { toChatModel } from '../engine/modelAdapter'
import { ModelRegistry } from '../models/registry'
import { DATABASE_FILE, openDatabase, SessionStore } from '../store'
import { apiKeyOf } from '.'
import { ApiSessions } from './apiSessions'
import { startApiServer, type ApiServer } from './apiServer'
import { OpenAiAdapter, type OpenAiAdapterDeps } from './openaiAdapter'

export interface TestApi {
  server: ApiServer
  client: OpenAI
  key: string
  dataDir: string
  store: SessionStore
  /** Decode steps run so far (a cancelled generation stops adding to it). */
  decodes(): number
  /** The model as loaded, once a request has loaded it. */
  loaded(): LoadedModel
  close(): Promise<void>
}

export async function startTestApi(
  fixture: FixtureOptions,
  extra: Partial<OpenAiAdapterDeps> = {},
): Promise<TestApi> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'glassbox-api-'))
  const modelDir = path.join(dataDir, 'tiny')
  await writeFixtureModel(modelDir, fixture)
  const db = openDatabase(path.join(dataDir, DATABASE_FILE))
  const store = new SessionStore(db)
  const registry = new ModelRegistry(db)
  registry.add(modelDir)
  let decodes = 0
  let loaded: LoadedModel | null = null
  const engine = new LocalEngine(async (ref) => {
    loaded = await loadModel(ref.path)
    const model = toChatModel(ref.name, loaded)
    const newSession = model.newSession
    model.newSession = () => {
      const session = newSession()
      const decode = session.decode.bind(session)
      session.decode = (id) => (decodes++, decode(id))
      return session
    }
    return model
  })
  const adapter = new OpenAiAdapter({
    registry,
    engine,
    embed: async (ref, texts) => {
      await engine.use(ref, async () => {})
      return embedTexts(loaded!, texts)
    },
    onChatDone: (record) => new ApiSessions(db, store).record(record),
    ...extra,
  })
  const key = apiKeyOf(store)
  const server = await startApiServer({
    adapter,
    apiKey: key,
    port: 0,
    corsOrigins: ['http://localhost:5173'],
  })
  const client = new OpenAI({ baseURL: server.baseUrl, apiKey: key, maxRetries: 0 })
  return {
    server,
    client,
    key,
    dataDir,
    store,
    decodes: () => decodes,
    loaded: () => {
      if (!loaded) throw new Error('no request has loaded the model yet')
      return loaded
    },
    async close() {
      await server.close()
      await engine.unload()
      db.close()
      fs.rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
