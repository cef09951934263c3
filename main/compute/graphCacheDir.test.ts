// The app's path for item 9 of issue 19: the compute child, forked as createServices forks it,
// builds a model's graphs in the data folder's graph-cache, never in the model's folder.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { writeFixtureModel } from '../../native-models/io'
import { defaultSamplingParams } from '../services/engine/sampling'
import { graphCacheDir } from '../services/paths'
import { ComputeClient } from './client'
import { defaultComputeEntry, forkLauncher } from './launcher'

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'glassbox-graphdir-'))
afterAll(() => {
  fs.chmodSync(path.join(root, 'model'), 0o755)
  fs.rmSync(root, { recursive: true, force: true })
})

const listing = (dir: string) => fs.readdirSync(dir, { recursive: true }).map(String).sort()

describe('the compute child and the graph cache', () => {
  it('writes graphs under <data>/graph-cache and leaves a read-only model folder as it was', async () => {
    const modelDir = path.join(root, 'model')
    await writeFixtureModel(modelDir, { arch: 'llama', seed: 11 })
    const before = listing(modelDir)
    fs.chmodSync(modelDir, 0o555)
    const dataDir = path.join(root, 'data')
    const client = new ComputeClient(
      forkLauncher(defaultComputeEntry(), { graphCacheDir: graphCacheDir(dataDir) }),
    )
    try {
      const result = await client.request('engine.generate', {
        model: { id: 1, name: 'fixture', path: modelDir, quantization: 'none' },
        request: {
          cacheKey: 't',
          mode: 'completion',
          systemPrompt: '',
          turns: [{ role: 'user', content: 'In the beginning' }],
          params: { ...defaultSamplingParams, greedy: true, maxTokens: 3, stop: [] },
        },
      })
      expect(result.stats.completionTokens).toBeGreaterThan(0)
    } finally {
      client.stop()
    }
    expect(listing(modelDir)).toEqual(before)
    const entries = fs.readdirSync(graphCacheDir(dataDir))
    expect(entries).toHaveLength(1)
    expect(fs.readdirSync(path.join(graphCacheDir(dataDir), entries[0]))).toContain('plain.onnx')
  })
})
