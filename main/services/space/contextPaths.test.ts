import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeFixtureModel } from '../../../native-models/io'
import { contextPaths } from './contextPaths'
import { inProcessModelPort } from './modelPort'
import { SpaceService } from './spaceService'

// A tiny random-weight Llama written by native-models, run for real by onnxruntime.
const dir = mkdtempSync(join(tmpdir(), 'glassbox-space-context-'))
const modelDir = join(dir, 'model')
const port = inProcessModelPort()

beforeAll(async () => {
  await writeFixtureModel(modelDir, { arch: 'llama', preset: 'tiny' })
})
afterAll(async () => {
  await port.dispose()
  rmSync(dir, { recursive: true, force: true })
})

describe('context paths', () => {
  const sentences = [
    'We sat on the bank of the river.',
    'She went to the bank to borrow money.',
    'The bank raised its rates.',
  ]

  it('gives one path per sentence, one point per layer, shared at the embedding layer', async () => {
    const model = await port.get(modelDir)
    const result = await contextPaths(model, 'bank', sentences, 3)
    expect(result.layers).toBe(model.info.numLayers + 1)
    expect(result.paths).toHaveLength(3)
    for (const path of result.paths) {
      expect(path.points).toHaveLength(result.layers)
      expect(path.nearest).toHaveLength(result.layers)
      expect(path.nearest[0]).toHaveLength(3)
      expect(path.token.replace(/\|/g, '').trim()).toBe('bank')
    }
    // Layer 0 is the token embedding: the same token starts at the same point everywhere
    // (Llama has no position embedding), and its nearest vocabulary token is itself.
    const starts = result.paths.map((p) => p.points[0])
    for (const s of starts.slice(1)) s.forEach((v, i) => expect(v).toBeCloseTo(starts[0][i], 4))
    expect(result.paths[0].nearest[0][0].score).toBeCloseTo(1, 4)
    // Context moves the word: the last layer differs between sentences.
    const ends = result.paths.map((p) => p.points[result.layers - 1])
    expect(Math.hypot(...ends[0].map((v, i) => v - ends[1][i]))).toBeGreaterThan(1e-3)
  })

  it('refuses a sentence without the word', async () => {
    const model = await port.get(modelDir)
    await expect(contextPaths(model, 'bank', ['No such word here.'], 3)).rejects.toThrow(
      /does not occur/,
    )
  })

  it('opens the model token embeddings as a space', async () => {
    const service = new SpaceService({ dataDir: dir, models: port })
    const space = await service.open({ kind: 'model', modelDir })
    const model = await port.get(modelDir)
    expect(space.count).toBe(model.embeddingMatrix().length / model.info.hiddenSize)
    expect(space.dims).toBe(model.info.hiddenSize)
    const first = space.words.findIndex((w) => w.length > 1)
    expect((await space.neighbours(space.words[first], 5)).results).toHaveLength(5)
  })
})
