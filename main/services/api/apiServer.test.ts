// The OpenAI-compatible API over HTTP with the official `openai` client, on a random
// fixture model run by the real onnxruntime through the engine's one generation path.
import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { inspectText } from '../inspect/localInspector'
import { saveApiSessionsSetting } from './apiSessions'
import type { ApiServer } from './apiServer'
import { startTestApi, type TestApi } from './testing'

let api: TestApi
let server: ApiServer
let client: OpenAI
let key = ''
const decodes = () => api.decodes()

beforeAll(async () => {
  api = await startTestApi({ arch: 'llama', seed: 7 })
  ;({ server, client, key } = api)
}, 60_000)

afterAll(async () => {
  await api?.close()
})

const post = (route: string, body: unknown, auth = `Bearer ${key}`) =>
  fetch(`${server.baseUrl}${route}`, {
    method: 'POST',
    headers: { authorization: auth, 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })

describe('the OpenAI-compatible API', () => {
  it('requests that come while the model is loading wait for it, and all finish', async () => {
    // The first requests of this file: the model is not in memory yet.
    const replies = await Promise.all(
      [1, 2, 3].map((seed) =>
        client.chat.completions.create({
          model: 'tiny',
          messages: [{ role: 'user', content: 'Load' }],
          max_tokens: 2,
          seed,
        }),
      ),
    )
    for (const r of replies) expect(r.usage?.completion_tokens).toBeGreaterThan(0)
  })

  it('lists the registered models', async () => {
    const models = await client.models.list()
    expect(models.data.map((m) => m.id)).toEqual(['tiny'])
    expect((await client.models.retrieve('tiny')).id).toBe('tiny')
    await expect(client.models.retrieve('nope')).rejects.toMatchObject({ status: 404 })
  })

  it('answers a chat, with usage, logprobs and top_logprobs', async () => {
    const reply = await client.chat.completions.create({
      model: 'tiny',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hello' },
      ],
      max_tokens: 6,
      seed: 1,
      logprobs: true,
      top_logprobs: 3,
    })
    const choice = reply.choices[0]
    expect(reply.object).toBe('chat.completion')
    expect(choice.message.role).toBe('assistant')
    expect(choice.finish_reason).toMatch(/stop|length/)
    expect(reply.usage?.completion_tokens).toBeGreaterThan(0)
    const content = choice.logprobs?.content ?? []
    expect(content.length).toBe(reply.usage?.completion_tokens)
    for (const t of content) {
      expect(t.top_logprobs).toHaveLength(3)
      expect(t.logprob).toBeLessThanOrEqual(0)
    }
  })

  it('streams the same text as it answers whole, then usage and [DONE]', async () => {
    const request = {
      model: 'tiny',
      messages: [{ role: 'user' as const, content: 'Tell me' }],
      max_tokens: 8,
      seed: 5,
    }
    const whole = await client.chat.completions.create(request)
    const stream = await client.chat.completions.create({
      ...request,
      stream: true,
      stream_options: { include_usage: true },
    })
    let text = ''
    let usage = 0
    let finish: string | null = null
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? ''
      finish = chunk.choices[0]?.finish_reason ?? finish
      if (chunk.usage) usage = chunk.usage.completion_tokens
    }
    expect(text).toBe(whole.choices[0].message.content)
    expect(finish).toBe(whole.choices[0].finish_reason)
    expect(usage).toBe(whole.usage?.completion_tokens)
    // The SSE framing as plain fetch sees it.
    const raw = await (await post('/chat/completions', { ...request, stream: true })).text()
    const events = raw.split('\n\n').filter(Boolean)
    expect(events.every((e) => e.startsWith('data: '))).toBe(true)
    expect(events[events.length - 1]).toBe('data: [DONE]')
  })

  it('gives the same text for the same seed, and temperature 0 is greedy', async () => {
    const ask = (seed: number, temperature = 1) =>
      client.chat.completions
        .create({
          model: 'tiny',
          messages: [{ role: 'user', content: 'Hi' }],
          max_tokens: 10,
          seed,
          temperature,
        })
        .then((r) => r.choices[0].message.content)
    expect(await ask(3)).toBe(await ask(3))
    const texts = new Set(await Promise.all([1, 2, 3, 4].map((s) => ask(s))))
    expect(texts.size).toBeGreaterThan(1)
    expect(await ask(1, 0)).toBe(await ask(2, 0))
  })

  it('continues a prompt, lists of prompts, echo and logprobs', async () => {
    const reply = await client.completions.create({
      model: 'tiny',
      prompt: ['Once upon', 'a time'],
      max_tokens: 4,
      echo: true,
      logprobs: 2,
      seed: 1,
    })
    expect(reply.choices).toHaveLength(2)
    expect(reply.choices[0].text.startsWith('Once upon')).toBe(true)
    expect(reply.choices[1].text.startsWith('a time')).toBe(true)
    expect(reply.choices[0].logprobs?.tokens?.length).toBe(4)
    expect(Object.keys(reply.choices[0].logprobs?.top_logprobs?.[0] ?? {}).length).toBe(2)
  })

  it('ends at a stop string, which is left out', async () => {
    const free = await client.completions.create({
      model: 'tiny',
      prompt: 'abc',
      max_tokens: 12,
      temperature: 0,
    })
    const text = free.choices[0].text
    expect(text.length).toBeGreaterThan(3)
    const stop = text.slice(2, 4)
    const stopped = await client.completions.create({
      model: 'tiny',
      prompt: 'abc',
      max_tokens: 12,
      temperature: 0,
      stop: [stop],
    })
    expect(stopped.choices[0].text).toBe(text.slice(0, text.indexOf(stop)))
    expect(stopped.choices[0].finish_reason).toBe('stop')
  })

  it('embeds each input as one unit vector', async () => {
    const reply = await client.embeddings.create({ model: 'tiny', input: ['one', 'two words'] })
    expect(reply.data).toHaveLength(2)
    for (const { embedding } of reply.data) {
      expect(Math.hypot(...embedding)).toBeCloseTo(1, 4)
    }
    expect(reply.data[0].embedding).not.toEqual(reply.data[1].embedding)
  })

  it('a json_schema answer validates', async () => {
    const schema = {
      type: 'object',
      properties: { answer: { enum: ['yes', 'no'] }, n: { type: 'integer' } },
      required: ['answer', 'n'],
    }
    const reply = await client.chat.completions.create({
      model: 'tiny',
      messages: [{ role: 'user', content: 'Yes or no?' }],
      response_format: { type: 'json_schema', json_schema: { name: 'a', schema } },
      max_tokens: 40,
      seed: 2,
    })
    const value = JSON.parse(reply.choices[0].message.content ?? '') as { answer: string }
    expect(['yes', 'no']).toContain(value.answer)
  })

  it('a disconnecting client cancels its generation; two clients at once both finish', async () => {
    const abort = new AbortController()
    const before = decodes()
    const stream = await client.chat.completions.create(
      {
        model: 'tiny',
        messages: [{ role: 'user', content: 'Go on' }],
        max_tokens: 500,
        stream: true,
      },
      { signal: abort.signal },
    )
    let seen = 0
    try {
      for await (const _ of stream) if (++seen === 3) abort.abort()
    } catch {
      // the client's own abort
    }
    await new Promise((r) => setTimeout(r, 200))
    const afterCancel = decodes()
    expect(afterCancel - before).toBeLessThan(100)
    await new Promise((r) => setTimeout(r, 200))
    expect(decodes()).toBe(afterCancel)

    const both = await Promise.all(
      [1, 2].map((seed) =>
        client.chat.completions.create({
          model: 'tiny',
          messages: [{ role: 'user', content: 'Both' }],
          max_tokens: 5,
          seed,
        }),
      ),
    )
    for (const r of both) expect(r.usage?.completion_tokens).toBeGreaterThan(0)
  })
})

describe('seen inside', () => {
  it("top_logprobs equal the Inside view's next-token probabilities for the same text", async () => {
    const prompt = 'The cat sat'
    const reply = await client.completions.create({
      model: 'tiny',
      prompt,
      max_tokens: 5,
      logprobs: 5,
      temperature: 0,
    })
    const logprobs = reply.choices[0].logprobs!
    const model = api.loaded()
    const promptIds = model.tokenizer.encode(prompt)
    const text = prompt + reply.choices[0].text
    const inside = await inspectText(model, { modelId: 1, modelName: 'tiny', text, topK: 5 })
    expect(logprobs.tokens!.length).toBe(5)
    const textOf = (id: number) => model.tokenizer.decode([id], { skipSpecialTokens: true })
    // Inside tokenizes the text again; compare while that gives the generated tokens back
    // (a byte-level piece of a character may not survive the round trip through text).
    let n = 0
    while (
      n < 5 &&
      !logprobs.tokens![n].includes('\ufffd') &&
      textOf(inside.summary.tokens[promptIds.length + n].id) === logprobs.tokens![n]
    ) {
      n++
    }
    expect(n).toBeGreaterThanOrEqual(2)
    for (let i = 0; i < n; i++) {
      const at = inside.summary.predictions[promptIds.length - 1 + i]
      const fromApi = Object.entries(logprobs.top_logprobs![i])
      // The API writes tokens as text (special tokens as ''), keyed by it: of two candidates
      // with one text the likelier stands.
      const candidates = at.candidates.filter(
        (c, j) => at.candidates.findIndex((d) => textOf(d.id) === textOf(c.id)) === j,
      )
      expect(fromApi.map(([t]) => t)).toEqual(candidates.map((c) => textOf(c.id)))
      fromApi.forEach(([, lp], j) => expect(Math.exp(lp)).toBeCloseTo(candidates[j].prob, 5))
      expect(Math.exp(logprobs.token_logprobs![i])).toBeCloseTo(at.next!.prob, 5)
    }
  })

  it('an API conversation is saved as an "API" session, continued, and can be turned off', async () => {
    const before = api.store.listSessions().length
    const messages = [{ role: 'user' as const, content: 'First question' }]
    const one = await client.chat.completions.create({ model: 'tiny', messages, max_tokens: 3 })
    const sessions = api.store.listSessions()
    expect(sessions.length).toBe(before + 1)
    const session = sessions[0]
    expect(session.source).toBe('api')
    expect(session.title).toBe('API: First question')
    await client.chat.completions.create({
      model: 'tiny',
      messages: [...messages, one.choices[0].message, { role: 'user', content: 'And then?' }],
      max_tokens: 3,
    })
    expect(api.store.listSessions().length).toBe(before + 1)
    const saved = api.store.listMessages(session.id)
    expect(saved.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant'])
    // Inside finds the model by the name the answer's stats carry.
    expect(saved[3].stats?.modelName).toBe('tiny')
    // The answer points at the registry row, so a rename or a second 'tiny' cannot confuse it.
    expect(saved[3].stats?.modelId).toEqual(expect.any(Number))
    expect(saved[3].stats?.completionTokens).toBeGreaterThan(0)

    api.store.setSetting(saveApiSessionsSetting, false)
    await client.chat.completions.create({ model: 'tiny', messages, max_tokens: 2 })
    expect(api.store.listSessions().length).toBe(before + 1)
    api.store.setSetting(saveApiSessionsSetting, true)
  })
})

describe('bad input', () => {
  const chat = { model: 'tiny', messages: [{ role: 'user', content: 'x' }], max_tokens: 2 }
  const errorOf = async (res: Response) =>
    ((await res.json()) as { error: { message: string; param: string | null } }).error

  it('no key or a wrong key is a 401', async () => {
    expect((await post('/chat/completions', chat, '')).status).toBe(401)
    expect((await post('/chat/completions', chat, 'Bearer nope')).status).toBe(401)
    const wrong = new OpenAI({ baseURL: server.baseUrl, apiKey: 'nope', maxRetries: 0 })
    await expect(wrong.models.list()).rejects.toMatchObject({ status: 401 })
  })

  it('a body that is not JSON, or has a wrong type, is a 400 naming the field', async () => {
    const notJson = await post('/chat/completions', '{"model":')
    expect(notJson.status).toBe(400)
    expect((await errorOf(notJson)).message).toMatch(/not valid JSON/)
    const wrongType = await post('/chat/completions', { ...chat, temperature: 'hot' })
    expect(wrongType.status).toBe(400)
    expect((await errorOf(wrongType)).param).toBe('temperature')
    const n = await post('/chat/completions', { ...chat, n: 2 })
    expect(n.status).toBe(400)
    expect((await errorOf(n)).param).toBe('n')
    const top = await post('/chat/completions', { ...chat, logprobs: true, top_logprobs: 21 })
    expect((await errorOf(top)).param).toBe('top_logprobs')
  })

  it('an unknown model is a 404, an unknown route too', async () => {
    const res = await post('/chat/completions', { ...chat, model: 'gpt-9' })
    expect(res.status).toBe(404)
    expect((await errorOf(res)).message).toMatch(/gpt-9/)
    expect((await post('/nowhere', {})).status).toBe(404)
  })

  it('a schema keyword we cannot enforce is a 400 naming it', async () => {
    const res = await post('/chat/completions', {
      ...chat,
      response_format: {
        type: 'json_schema',
        json_schema: {
          name: 'a',
          schema: { type: 'object', properties: { d: { type: 'string', format: 'date' } } },
        },
      },
    })
    expect(res.status).toBe(400)
    expect((await errorOf(res)).message).toMatch(/properties\.d uses "format"/)
  })

  it('a prompt longer than the context is a 400 with both numbers', async () => {
    const res = await post('/completions', {
      model: 'tiny',
      prompt: 'word '.repeat(3000),
      max_tokens: 4,
    })
    expect(res.status).toBe(400)
    expect((await errorOf(res)).message).toMatch(/\d+ tokens.*context holds \d+ tokens/)
    // A long prompt that fits is not refused: the answer gets what the context has left.
    const model = api.loaded()
    let prompt = ''
    while (model.tokenizer.encode(prompt).length < model.info.contextLength * 0.7) prompt += 'word '
    const long = await client.chat.completions.create({
      model: 'tiny',
      messages: [{ role: 'user', content: prompt }],
      seed: 1,
    })
    const { prompt_tokens, completion_tokens } = long.usage!
    expect(prompt_tokens + completion_tokens).toBeLessThanOrEqual(model.info.contextLength)
  })

  it('no CORS headers unless the origin is listed', async () => {
    const ask = (origin: string) =>
      fetch(`${server.baseUrl}/models`, {
        headers: { authorization: `Bearer ${key}`, origin },
      })
    expect((await ask('http://evil.example')).headers.get('access-control-allow-origin')).toBeNull()
    const listed = await ask('http://localhost:5173')
    expect(listed.headers.get('access-control-allow-origin')).toBe('http://localhost:5173')
    const preflight = await fetch(`${server.baseUrl}/chat/completions`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:5173' },
    })
    expect(preflight.status).toBe(204)
  })

  it('a 10 MB body is a 413, and the server stays up', async () => {
    const res = await post('/chat/completions', 'x'.repeat(10 * 1024 * 1024)).catch(() => null)
    if (res) expect(res.status).toBe(413)
    expect((await client.models.list()).data).toHaveLength(1)
  })
})
