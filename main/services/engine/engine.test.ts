// The generation loop on real onnxruntime with a fixture model written by native-models.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { loadModel, writeFixtureModel } from '../../../native-models/io'
import { LocalEngine } from './engine'
import { Generator } from './generator'
import { toChatModel } from './modelAdapter'
import { defaultSamplingParams } from './sampling'
import type { ChatModel, GenerateRequest } from './types'

const greedy = {
  ...defaultSamplingParams,
  greedy: true,
  repetitionPenalty: 1,
  maxTokens: 12,
  stop: [],
}
let dir = ''
let model: ChatModel

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glassbox-engine-'))
  await writeFixtureModel(dir, { arch: 'llama', seed: 3 })
  model = toChatModel('fixture', await loadModel(dir))
})

const request = (over: Partial<GenerateRequest> = {}): GenerateRequest => ({
  cacheKey: 'a',
  mode: 'chat',
  systemPrompt: 'You are terse.',
  turns: [{ role: 'user', content: 'Hello there' }],
  params: greedy,
  ...over,
})

describe('generation on onnxruntime', () => {
  it('streams pieces that make the answer, with log-probabilities and top-5', async () => {
    const pieces: string[] = []
    const res = await new Generator(model).generate(request(), (t) => {
      pieces.push(t.text)
      expect(t.top).toHaveLength(5)
      expect(t.logprob).toBeLessThanOrEqual(0)
      // Greedy picks the model's most likely token (no penalty): it is the top alternative.
      expect(t.top[0].tokenId).toBe(t.tokenId)
    })
    expect(res.stats.promptTokens).toBeGreaterThan(5)
    // Text held back at the very end (an incomplete character, a possible stop string) is
    // only in the final text, which chat.finished carries.
    expect(res.text.startsWith(pieces.join(''))).toBe(true)
    expect(res.text.length - pieces.join('').length).toBeLessThan(4)
    expect(res.stats.completionTokens).toBe(pieces.length)
  })

  it('KV-cache reuse across turns gives the same tokens as a fresh prefill', async () => {
    const warm = new Generator(model)
    const first = await warm.generate(request(), () => {})
    const turns = [
      { role: 'user' as const, content: 'Hello there' },
      { role: 'assistant' as const, content: first.text },
      { role: 'user' as const, content: 'And again?' },
    ]
    const ids: number[] = []
    const reused = await warm.generate(request({ turns }), (t) => ids.push(t.tokenId))
    expect(reused.stats.reusedTokens).toBeGreaterThan(first.stats.promptTokens - 2)
    const freshIds: number[] = []
    const fresh = await new Generator(model).generate(request({ turns }), (t) =>
      freshIds.push(t.tokenId),
    )
    expect(fresh.stats.reusedTokens).toBe(0)
    expect(ids).toEqual(freshIds)
  })

  it('the same seed gives the same text; another seed another text', async () => {
    const sampled = { ...greedy, greedy: false, temperature: 1.5, topK: 0, topP: 1, minP: 0 }
    const gen = new Generator(model)
    const run = async (seed: number, key: string) =>
      (await gen.generate(request({ cacheKey: key, params: { ...sampled, seed } }), () => {})).text
    const a = await run(11, 's1')
    expect(await run(11, 's2')).toBe(a)
    expect(await run(12, 's3')).not.toBe(a)
  })

  it('LocalEngine loads lazily, keeps the model warm and swaps it on a switch', async () => {
    let loads = 0
    const engine = new LocalEngine(async (ref) => {
      loads++
      return toChatModel(ref.name, await loadModel(ref.path))
    })
    const ref = { id: 1, name: 'fixture', path: dir, quantization: 'none' as const }
    expect(engine.loadedModelId()).toBeNull()
    await engine.generate(ref, request(), () => {})
    await engine.generate(ref, request({ cacheKey: 'b' }), () => {})
    expect(loads).toBe(1)
    await engine.generate({ ...ref, id: 2, quantization: 'int8' }, request(), () => {})
    expect(loads).toBe(2)
    expect(engine.loadedModelId()).toBe(2)
    await engine.unload()
    expect(engine.loadedModelId()).toBeNull()
  })
})
