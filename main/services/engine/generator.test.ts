import { describe, expect, it } from 'vitest'
import { Generator } from './generator'
import { defaultSamplingParams } from './sampling'
import { createToyModel } from './testing'
import type { GeneratedToken, GenerateRequest, GenerationParams } from './types'

const greedy: GenerationParams = {
  ...defaultSamplingParams,
  greedy: true,
  repetitionPenalty: 1,
  maxTokens: 10,
  stop: [],
}

const request = (over: Partial<GenerateRequest> = {}): GenerateRequest => ({
  cacheKey: 's1',
  mode: 'chat',
  systemPrompt: '',
  turns: [{ role: 'user', content: 'a' }],
  params: greedy,
  ...over,
})

describe('Generator', () => {
  it('streams tokens whose pieces make the answer, and stops at max tokens', async () => {
    const { model } = createToyModel()
    const gen = new Generator(model)
    const tokens: GeneratedToken[] = []
    const res = await gen.generate(request(), (t) => tokens.push(t))
    // The template ends with '<assistant>' ('>' is 62), so the toy model starts at 'a'.
    expect(res.text).toBe('abcdefghij')
    expect(tokens.map((t) => t.text).join('')).toBe(res.text)
    expect(tokens).toHaveLength(10)
    expect(tokens[0].top).toHaveLength(5)
    expect(tokens[0].top[0].text).toBe('a')
    expect(res.stats.finishReason).toBe('length')
    expect(res.stats.completionTokens).toBe(10)
    expect(res.stats.promptTokens).toBe('<user>a\n<assistant>'.length)
    expect(res.stats.ttftMs).toBeGreaterThanOrEqual(0)
  })

  it('ends at a stop string split across tokens without showing it', async () => {
    const { model } = createToyModel()
    const res = await new Generator(model).generate(
      request({ params: { ...greedy, stop: ['def'] } }),
      () => {},
    )
    expect(res.text).toBe('abc')
    expect(res.stats.finishReason).toBe('stop')
  })

  it('cancels between two decode steps and keeps what was generated', async () => {
    const { model, log } = createToyModel()
    const gen = new Generator(model)
    const abort = new AbortController()
    const res = await gen.generate(
      request({ params: { ...greedy, maxTokens: 100 } }),
      (t) => {
        if (t.index === 2) abort.abort()
      },
      abort.signal,
    )
    expect(res.text).toBe('abc')
    expect(res.stats.finishReason).toBe('cancelled')
    expect(res.stats.completionTokens).toBe(3)
    // Two decode steps ran (for 'b' and 'c'); none after the stop.
    expect(log.decodes).toEqual([97, 98])
  })

  it('runs one generation per chat at a time and refuses a second with busy', async () => {
    const { model } = createToyModel()
    const gen = new Generator(model)
    const first = gen.generate(request(), () => {})
    await expect(gen.generate(request(), () => {})).rejects.toMatchObject({ code: 'busy' })
    // Another chat is not blocked.
    await expect(gen.generate(request({ cacheKey: 's2' }), () => {})).resolves.toBeTruthy()
    await first
    // Once finished, the chat can generate again.
    await expect(gen.generate(request(), () => {})).resolves.toBeTruthy()
  })

  it('reuses the KV cache for the unchanged prefix of the next turn', async () => {
    const { model, log } = createToyModel()
    const gen = new Generator(model)
    const first = await gen.generate(request(), () => {})
    const turns = [
      { role: 'user' as const, content: 'a' },
      { role: 'assistant' as const, content: first.text },
      { role: 'user' as const, content: 'more' },
    ]
    const second = await gen.generate(request({ turns }), () => {})
    const prompt = model.renderChat(turns, { addGenerationPrompt: true })
    expect(second.stats.promptTokens).toBe(prompt.length)
    // '<user>a\n<assistant>' + 'abcdefghi' were fed in the first turn; the template then
    // goes on with '\n', so the common prefix ends just after the answer's ninth token.
    expect(second.stats.reusedTokens).toBe('<user>a\n<assistant>abcdefghi'.length)
    expect(log.prefills[1]).toEqual(model.encode(prompt.slice(second.stats.reusedTokens), false))
  })

  it('drops the oldest turns, keeps the system prompt, and says how many', async () => {
    const { model, log } = createToyModel({ contextLength: 120 })
    const turns = Array.from({ length: 8 }, (_, i) => ({
      role: (i % 2 ? 'assistant' : 'user') as 'user' | 'assistant',
      content: `turn ${i} `.repeat(2),
    }))
    const res = await new Generator(model).generate(
      request({ turns, systemPrompt: 'Be brief.', params: { ...greedy, maxTokens: 20 } }),
      () => {},
    )
    expect(res.stats.droppedTurns).toBeGreaterThan(0)
    expect(res.stats.droppedTurns % 2).toBe(0)
    expect(res.stats.promptTokens + 20).toBeLessThanOrEqual(120)
    const fed = model.decode(log.prefills[0])
    expect(fed.startsWith('<system>Be brief.\n<user>')).toBe(true)
    expect(fed).toContain('turn 7')
    expect(fed).not.toContain('turn 0')
    // Dropping one turn fewer would not have fitted.
    const kept = turns.slice(res.stats.droppedTurns - 2)
    const longer = model.renderChat([{ role: 'system', content: 'Be brief.' }, ...kept], {
      addGenerationPrompt: true,
    })
    expect(longer.length + 20).toBeGreaterThan(120)
  })

  it('refuses a single message longer than the context with a clear error', async () => {
    const { model } = createToyModel({ contextLength: 64 })
    await expect(
      new Generator(model).generate(
        request({ turns: [{ role: 'user', content: 'x'.repeat(200) }] }),
        () => {},
      ),
    ).rejects.toMatchObject({ code: 'bad_request' })
  })

  it('gives the same text for the same seed and another for another seed', async () => {
    const { model } = createToyModel({ spread: 0.05 })
    const gen = new Generator(model)
    const sampled = { ...greedy, greedy: false, temperature: 1.5, topK: 0, topP: 1, minP: 0 }
    const run = async (seed: number, key: string) =>
      (await gen.generate(request({ cacheKey: key, params: { ...sampled, seed } }), () => {})).text
    const a = await run(1, 'x')
    expect(await run(1, 'y')).toBe(a)
    expect(await run(2, 'z')).not.toBe(a)
  })
})

describe('ignoreEos', () => {
  it('never ends at the end-of-text token when asked to keep going', async () => {
    const { model } = createToyModel()
    // The toy model prefers EOS after '.', which follows 'z'.
    const eosAfterDot = {
      ...model,
      newSession() {
        const inner = model.newSession()
        const bias = (l: Float32Array, last: number) => {
          if (last === 46) l[0] = 10
          return l
        }
        let last = -1
        return {
          ...inner,
          async prefill(ids: number[]) {
            last = ids[ids.length - 1]
            return bias(await inner.prefill(ids), last)
          },
          async decode(id: number) {
            last = id
            return bias(await inner.decode(id), last)
          },
        }
      },
    }
    const turns = [{ role: 'user' as const, content: 'y' }]
    const params = { ...greedy, maxTokens: 40 }
    const ended = await new Generator(eosAfterDot).generate(request({ turns, params }), () => {})
    expect(ended.stats.finishReason).toBe('eos')
    const kept = await new Generator(eosAfterDot).generate(
      request({ turns, params: { ...params, ignoreEos: true } }),
      () => {},
    )
    expect(kept.stats.finishReason).toBe('length')
    expect(kept.stats.completionTokens).toBe(40)
  })
})
