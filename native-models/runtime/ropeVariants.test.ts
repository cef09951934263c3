import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadModel, writeFixtureModel } from '../io'
import { SafetensorsWeights } from '../io/safetensors'
import { referenceForward } from '../reference/forward'
import type { FixtureOptions, LoadedModel } from './types'

// RoPE types whose effect the common fixtures do not reach: longrope's switch to its long
// factors past the pretrained context, and yarn for the Llama and Qwen families (set by
// rewriting a fixture's config.json, as a user enabling yarn does).

const TEXT = 'The cat sat on the mat, and then it was the end of it.'

let root: string
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'glassbox-rope-'))
})
afterAll(() => rmSync(root, { recursive: true, force: true }))

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]))
  return m
}

async function fixture(
  name: string,
  opts: FixtureOptions,
  edit: (config: Record<string, unknown>) => void = () => {},
) {
  const dir = join(root, name)
  await writeFixtureModel(dir, opts)
  const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'))
  edit(config)
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config))
  const model = await loadModel(dir, { executionProvider: 'cpu', cacheDir: join(root, 'cache') })
  const weights = new SafetensorsWeights(dir)
  const reference = (ids: number[], callLength?: (pos: number) => number) =>
    referenceForward(
      config,
      (n) => weights.f32(n),
      ids,
      (n) => weights.has(n),
      callLength,
    ).logits
  return { model, reference }
}

describe('phi3 longrope past the pretrained context', () => {
  let model: LoadedModel
  let reference: (ids: number[], callLength?: (pos: number) => number) => Float64Array[]
  beforeAll(async () => {
    ;({ model, reference } = await fixture('phi3', { arch: 'phi3', longropeFrom: 8, seed: 21 }))
  })
  afterAll(() => model?.dispose())

  it('a prompt within 8 tokens runs on the short factors, a longer one on the long', async () => {
    const ids = model.tokenizer.encode(TEXT)
    expect(ids.length).toBeGreaterThan(8)
    const short = ids.slice(0, 6)
    const shortLogits = await model.logits(short)
    const shortRef = reference(short)
    for (let t = 0; t < short.length; t++)
      expect(maxDiff(shortLogits[t], shortRef[t])).toBeLessThan(1e-4)
    const longLogits = await model.logits(ids)
    const longRef = reference(ids)
    for (let t = 0; t < ids.length; t++)
      expect(maxDiff(longLogits[t], longRef[t])).toBeLessThan(1e-4)
    // The same first tokens give other logits once the call is long: the switch bites.
    expect(maxDiff(longLogits[5], shortLogits[5])).toBeGreaterThan(1e-3)
  })

  it('decoding token by token across the boundary keeps HF’s per-call factors', async () => {
    // HF: a 6-token prefill and the calls for positions 6 and 7 rotate with the short
    // factors; each later call (length > 8) rotates its one new token with the long ones,
    // while the cached keys keep the rotation they were computed with.
    const ids = model.tokenizer.encode(TEXT)
    const ref = reference(ids, (pos) => Math.max(6, pos + 1))
    const s = model.newSession()
    expect(maxDiff(await s.prefill(ids.slice(0, 6)), ref[5])).toBeLessThan(1e-4)
    for (let t = 6; t < ids.length; t++)
      expect(maxDiff(await s.decode(ids[t]), ref[t])).toBeLessThan(1e-4)
    await s.dispose()
    // A one-call reference differs at position 8 (its window of 7 still holds keys rotated
    // short), so the decode check is not vacuous.
    expect(maxDiff(reference(ids)[8], ref[8])).toBeGreaterThan(1e-3)
  })
})

describe.each([
  ['llama', { arch: 'llama', numKvHeads: 2, seed: 22 }],
  ['qwen3', { arch: 'qwen3', numKvHeads: 2, seed: 23 }],
] as const)('%s with dynamic NTK', (name, opts) => {
  it('within max_position_embeddings it is the default RoPE, as in HF, prefill and decode', async () => {
    const { model, reference } = await fixture(`${name}-dynamic`, opts, (c) => {
      c.rope_scaling = { rope_type: 'dynamic', factor: 4 }
    })
    const ids = model.tokenizer.encode(TEXT)
    const ref = reference(ids)
    const logits = await model.logits(ids)
    for (let t = 0; t < ids.length; t++) expect(maxDiff(logits[t], ref[t])).toBeLessThan(1e-4)
    const s = model.newSession()
    await s.prefill(ids.slice(0, 2))
    for (let t = 2; t < ids.length; t++)
      expect(maxDiff(await s.decode(ids[t]), ref[t])).toBeLessThan(1e-4)
    await s.dispose()
    expect(model.info.contextLength).toBe(256)
    await model.dispose()
  })
})

describe.each([
  ['llama', { arch: 'llama', numKvHeads: 2, seed: 22 }],
  ['qwen3', { arch: 'qwen3', numKvHeads: 2, seed: 23 }],
] as const)('%s with yarn', (name, opts) => {
  let model: LoadedModel
  let reference: (ids: number[]) => Float64Array[]
  beforeAll(async () => {
    ;({ model, reference } = await fixture(`${name}-yarn`, opts, (c) => {
      c.rope_scaling = { rope_type: 'yarn', factor: 4, original_max_position_embeddings: 16 }
    }))
  })
  afterAll(() => model?.dispose())

  it('prefill and token-by-token decode equal the reference within 1e-4', async () => {
    const ids = model.tokenizer.encode(TEXT)
    const ref = reference(ids)
    const logits = await model.logits(ids)
    for (let t = 0; t < ids.length; t++) expect(maxDiff(logits[t], ref[t])).toBeLessThan(1e-4)
    const s = model.newSession()
    await s.prefill(ids.slice(0, 2))
    for (let t = 2; t < ids.length; t++)
      expect(maxDiff(await s.decode(ids[t]), ref[t])).toBeLessThan(1e-4)
    await s.dispose()
  })

  it('yarn changes the logits (the check bites)', async () => {
    const ids = model.tokenizer.encode(TEXT)
    const plain = (await fixture(`${name}-plain`, opts, (c) => (c.rope_scaling = null))).model
    const a = await model.logits(ids)
    const b = await plain.logits(ids)
    expect(maxDiff(a[ids.length - 1], b[ids.length - 1])).toBeGreaterThan(1e-3)
    await plain.dispose()
  })
})
