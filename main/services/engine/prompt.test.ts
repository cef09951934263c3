// What the context cuts, counted: the numbers the UI says instead of limiting silently.
import { describe, expect, it } from 'vitest'
import type { PromptInfo } from './types'
import { Generator } from './generator'
import { buildPrompt } from './prompt'
import { defaultSamplingParams } from './sampling'
import { createToyModel } from './testing'
import type { GenerateRequest } from './types'

const request = (over: Partial<GenerateRequest> = {}): GenerateRequest => ({
  cacheKey: 's1',
  mode: 'chat',
  systemPrompt: '',
  turns: [{ role: 'user', content: 'a' }],
  params: { ...defaultSamplingParams, greedy: true, maxTokens: 10, stop: [] },
  ...over,
})

describe('buildPrompt counts what it cuts', () => {
  it('max tokens 2000 on a 256-token context: 128, and the asked number is kept', async () => {
    const { model } = createToyModel({ contextLength: 256 })
    const req = request({ params: { ...request().params, maxTokens: 2000 } })
    expect(buildPrompt(model, req).maxTokens).toBe(128)
    let info: PromptInfo | null = null
    await new Generator(model).generate(
      req,
      () => {},
      undefined,
      (p) => (info = p),
    )
    expect(info).toMatchObject({ contextLength: 256, requestedMaxTokens: 2000, maxTokens: 128 })
  })

  it('completion mode: a long text keeps its last tokens, and says how many of how many', () => {
    const { model } = createToyModel({ contextLength: 256 })
    const text = 'x'.repeat(200_000)
    const built = buildPrompt(
      model,
      request({ mode: 'completion', turns: [{ role: 'user', content: text }] }),
    )
    expect(built.ids).toHaveLength(256 - 10)
    expect(built.fullTokens).toBe(200_000)
    // Not "1 oldest turns": a completion has no turns to count, only the text's start.
    expect(built.droppedTurns).toBe(0)
  })

  it('chat mode: the oldest turns and their tokens', () => {
    const { model } = createToyModel({ contextLength: 120 })
    const turns = Array.from({ length: 8 }, (_, i) => ({
      role: (i % 2 ? 'assistant' : 'user') as 'user' | 'assistant',
      content: `turn ${i} `.repeat(2),
    }))
    const built = buildPrompt(
      model,
      request({ turns, params: { ...request().params, maxTokens: 20 } }),
    )
    const full = model.encode(model.renderChat(turns, { addGenerationPrompt: true }), false)
    expect(built.fullTokens).toBe(full.length)
    expect(built.droppedTurns).toBeGreaterThan(0)
    expect(built.ids.length).toBeLessThan(built.fullTokens)
  })

  it('nothing cut: the full count is the prompt', () => {
    const { model } = createToyModel()
    const built = buildPrompt(model, request())
    expect(built).toMatchObject({ fullTokens: built.ids.length, droppedTurns: 0, maxTokens: 10 })
  })
})
