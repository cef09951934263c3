import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadModel, writeFixtureModel } from '../../../native-models/io'
import type { LoadedModel } from '../../../native-models/runtime/types'
import { ApiError } from '../../contract/define'
import { openDatabase, SessionStore } from '../store'
import { InspectionCache } from './cache'
import { createInspectHandlers } from './handlers'
import { localBackend } from './localInspector'

// The per-message cache on a real database: a message is analysed once, its analysis goes
// when the message goes, and bad requests get typed errors.

const ctx = { emit: () => {} }

describe('Inside per-message cache', () => {
  let root: string
  let model: LoadedModel
  let db: Database.Database
  let store: SessionStore
  let cache: InspectionCache
  let handlers: ReturnType<typeof createInspectHandlers>
  let analyses = 0

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'glassbox-inside-cache-'))
    await writeFixtureModel(path.join(root, 'model'), { arch: 'llama', seed: 9 })
    model = await loadModel(path.join(root, 'model'))
    db = openDatabase(path.join(root, 'data', 'glassbox.db'))
    store = new SessionStore(db)
    cache = new InspectionCache(db, path.join(root, 'data'))
    const backend = localBackend(async () => model)
    handlers = createInspectHandlers({
      cache,
      backend: {
        ...backend,
        inspect: (req) => {
          analyses++
          return backend.inspect(req)
        },
      },
      readMessage: (id) => {
        try {
          const m = store.getMessage(id)
          return { content: m.content, modelId: m.stats?.modelId ?? null }
        } catch {
          return null
        }
      },
      resolveModel: () => ({ id: 7, name: 'fixture' }),
    })
  })

  afterAll(async () => {
    await model?.dispose()
    db?.close()
    fs.rmSync(root, { recursive: true, force: true })
  })

  it('analyses a message once, and forgets it with its session', async () => {
    const session = store.createSession('cache test')
    const message = store.addMessage({
      sessionId: session.id,
      role: 'user',
      content: 'Once upon a time there was a small model.',
    })
    const before = analyses
    const [a, b] = await Promise.all([
      handlers['inspect.text']({ messageId: message.id, topK: 3 }, ctx),
      handlers['inspect.text']({ messageId: message.id, topK: 3 }, ctx),
    ])
    expect(analyses - before).toBe(1)
    expect(a.text).toBe(message.content)
    expect(a.messageId).toBe(message.id)
    expect(a.predictions[0].candidates).toHaveLength(3)
    expect(b.key).toBe(a.key)
    const again = await handlers['inspect.text']({ messageId: message.id, topK: 3 }, ctx)
    expect(again.cached).toBe(true)
    expect(analyses - before).toBe(1)

    store.deleteSession(session.id)
    expect(cache.get(a.key)).toBeNull()
    expect(fs.existsSync(cache.dirFor(a.key))).toBe(true)
    expect(cache.prune()).toBe(1)
    expect(fs.existsSync(cache.dirFor(a.key))).toBe(false)
  })

  it('recomputes when an attention file is missing', async () => {
    const first = await handlers['inspect.text']({ text: 'A lost file.', topK: 5 }, ctx)
    fs.rmSync(path.join(cache.dirFor(first.key), 'layer-0.f32'))
    const second = await handlers['inspect.text']({ text: 'A lost file.', topK: 5 }, ctx)
    expect(second.cached).toBe(false)
    const layer = await handlers['inspect.attention']({ key: second.key, layer: 0 }, ctx)
    expect(layer.seqLen).toBe(second.seqLen)
  })

  it('keeps only the newest analyses', async () => {
    const small = new InspectionCache(db, path.join(root, 'data'), 2)
    const keys: string[] = []
    for (const text of ['one', 'two', 'three']) {
      const result = await localBackend(async () => model).inspect({
        modelId: 7,
        modelName: 'fixture',
        text,
        topK: 2,
        attentionDir: small.dirFor(`evict-${text}`),
      })
      small.put(`evict-${text}`, { messageId: null, topK: 2 }, result.summary, result.computeMs)
      keys.push(`evict-${text}`)
    }
    expect(small.get(keys[0])).toBeNull()
    expect(fs.existsSync(small.dirFor(keys[0]))).toBe(false)
    expect(small.get(keys[2])?.text).toBe('three')
  })

  it('answers bad requests with typed errors', async () => {
    const found = await handlers['inspect.text']({ text: 'Errors.', topK: 5 }, ctx)
    const code = (f: () => unknown) => {
      try {
        f()
      } catch (err) {
        return (err as ApiError).code
      }
      return null
    }
    expect(code(() => handlers['inspect.attention']({ key: 'nope', layer: 0 }, ctx))).toBe(
      'not_found',
    )
    expect(
      code(() => handlers['inspect.attention']({ key: found.key, layer: found.numLayers }, ctx)),
    ).toBe('bad_request')
    await expect(handlers['inspect.text']({ messageId: 99999, topK: 5 }, ctx)).rejects.toThrow(
      ApiError,
    )
  })
})
