import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { ComputeClient } from '../../compute/client'
import { forkLauncher } from '../../compute/launcher'
import { Word2VecSettings, type Word2VecProgress } from '../../contract/learnViews'
import { EventBus } from '../eventBus'
import type { ModelRegistry } from '../models/registry'
import { createLearnViewsHandlers } from './handlers'

// word2vec through the real compute child, as the app runs it: progress reaches the event
// bus, one run at a time, and stop ends a run with what it has learned.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'glassbox-learnviews-'))
const compute = new ComputeClient(forkLauncher())
const bus = new EventBus()
const progress: Word2VecProgress[] = []
bus.on((event, payload) => {
  if (event === 'word2vec.progress') progress.push(payload as Word2VecProgress)
})
// word2vec needs no model; the feed-forward view's model lookup is tested in compute/.
const handlers = createLearnViewsHandlers({ dataDir, compute, bus, registry: {} as ModelRegistry })
const ctx = { emit: () => {} }
afterAll(() => {
  compute.stop()
  fs.rmSync(dataDir, { recursive: true, force: true })
})

describe('word2vec calls', () => {
  it('relays progress, refuses a second run, and stops on word2vec.stop', async () => {
    const settings = Word2VecSettings.parse({ corpus: 'shipped', steps: 20_000, dims: 8 })
    const run = handlers['word2vec.train']({ settings }, ctx)
    while (progress.length < 2) await new Promise((r) => setTimeout(r, 20))
    await expect(handlers['word2vec.train']({ settings }, ctx)).rejects.toMatchObject({
      code: 'busy',
    })
    expect(await handlers['word2vec.stop']({}, ctx)).toEqual({ stopped: true })
    const result = await run
    expect(result.stopped).toBe(true)
    expect(result.steps).toBeGreaterThan(0)
    expect(result.steps).toBeLessThan(20_000)
    expect(progress.flatMap((p) => p.losses)).toEqual(result.losses)
    expect(fs.existsSync(result.saved.vectorsPath)).toBe(true)
    expect(path.dirname(path.dirname(result.saved.vectorsPath))).toBe(
      path.join(dataDir, 'word2vec'),
    )
    expect(await handlers['word2vec.stop']({}, ctx)).toEqual({ stopped: false })
  }, 30_000)

  it('says why a text cannot be trained on, with a bad_request code', async () => {
    const text = Word2VecSettings.parse({ corpus: 'text', text: '  ' })
    await expect(handlers['word2vec.train']({ settings: text }, ctx)).rejects.toMatchObject({
      code: 'bad_request',
      message: expect.stringMatching(/settings\.text/),
    })
    const once = Word2VecSettings.parse({ corpus: 'text', text: 'every word here is new' })
    await expect(handlers['word2vec.train']({ settings: once }, ctx)).rejects.toMatchObject({
      code: 'bad_request',
      message: expect.stringMatching(/seen at least 2 times/),
    })
  }, 30_000)
})
