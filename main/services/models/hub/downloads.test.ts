import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, expect, it, vi } from 'vitest'
import { writeFixtureModel } from '../../../../native-models/io'
import type { DownloadProgress } from '../../../contract/hub'
import { createChatFixture } from '../../chat/testing'
import { createHubDomain } from './domain'
import { startTestHub, type TestHub } from './testHub'

let hub: TestHub
let src: string
const repo = 'test-org/tiny-llama'

beforeAll(async () => {
  const f = createChatFixture()
  src = path.join(f.dataDir, 'tiny')
  await writeFixtureModel(src, { arch: 'llama' })
  hub = await startTestHub([{ id: repo, dir: src, downloads: 3 }])
})

afterAll(() => hub.close())

function setup() {
  const f = createChatFixture()
  const cacheDir = path.join(f.dataDir, 'hub')
  const { handlers, downloads } = createHubDomain({
    registry: f.registry,
    bus: f.bus,
    config: () => ({ endpoint: hub.url, cacheDir }),
    libraries: () => ({ hfCache: cacheDir, lmStudio: [], ollama: path.join(f.dataDir, 'none') }),
    retry: { tries: 3, baseDelayMs: 5, maxDelayMs: 10 },
  })
  const progress = () =>
    f.events
      .filter((e) => e.event === 'hub.downloadProgress')
      .map((e) => e.payload as DownloadProgress)
  return { f, cacheDir, handlers, downloads, progress }
}

it('pauses, resumes from the partial, registers the model and says so', async () => {
  const { f, handlers, downloads, progress, cacheDir } = setup()
  const plan = await handlers['hub.plan']({ repo })
  expect(plan).toMatchObject({ runnable: true, modelType: 'llama', cachedBytes: 0 })
  hub.throttle(200_000)
  expect(handlers['hub.download']({ repo }).state).toBe('running')
  await vi.waitFor(() => expect(progress().at(-1)?.doneBytes).toBeGreaterThan(50_000), {
    timeout: 10_000,
    interval: 20,
  })
  expect((await handlers['hub.pause']({ repo })).paused).toBe(true)
  const paused = progress().at(-1)!
  expect(paused.state).toBe('paused')
  // Nothing half-downloaded is listed as usable.
  expect(f.registry.list()).toEqual([])
  expect(handlers['models.discover']().filter((d) => d.runnable)).toEqual([])
  hub.throttle(0)
  const before = hub.requests.length
  handlers['hub.download']({ repo })
  await downloads.settled(repo)
  const done = progress().at(-1)!
  expect(done).toMatchObject({ state: 'done', doneBytes: plan.totalBytes })
  expect(hub.requests.slice(before).some((r) => r.range && r.url.startsWith('/lfs-cdn/'))).toBe(
    true,
  )
  expect(f.registry.get(done.modelId!)).toMatchObject({ name: repo, modelType: 'llama' })
  expect(f.events.some((e) => e.event === 'models.changed')).toBe(true)
  expect(progress().some((p) => p.bytesPerSecond > 0 && p.etaSeconds !== null)).toBe(true)
  // Registered models are not listed again as found on disk.
  expect(handlers['models.discover']()).toEqual([])
  expect(fs.existsSync(path.join(cacheDir, 'models--test-org--tiny-llama', 'refs', 'main'))).toBe(
    true,
  )
})

it('cancel stops the download and deletes its partial files', async () => {
  const { handlers, progress, cacheDir } = setup()
  hub.throttle(100_000)
  handlers['hub.download']({ repo })
  await vi.waitFor(() => expect(progress().at(-1)?.doneBytes).toBeGreaterThan(20_000), {
    timeout: 10_000,
    interval: 20,
  })
  expect((await handlers['hub.cancel']({ repo })).cancelled).toBe(true)
  hub.throttle(0)
  expect(progress().at(-1)).toMatchObject({ state: 'failed', error: 'Cancelled.' })
  const blobs = path.join(cacheDir, 'models--test-org--tiny-llama', 'blobs')
  expect(fs.readdirSync(blobs).filter((b) => b.endsWith('.incomplete'))).toEqual([])
  expect(handlers['hub.downloads']()).toEqual([])
})

it('searches through the contract and rejects a malformed repo id', async () => {
  const { handlers } = setup()
  expect((await handlers['hub.search']({ query: 'tiny' })).map((h) => h.repo)).toEqual([repo])
  await expect(handlers['hub.plan']({ repo: '../etc' })).rejects.toMatchObject({
    code: 'bad_request',
  })
})
