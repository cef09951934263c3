import path from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import type { ModelLoader } from '../engine/engine'
import { createToyModel } from '../engine/testing'
import { createChatFixture, writeStubModelFolder } from './testing'

function setup(
  opts: { decodeDelayMs?: number; generationConfig?: object; loader?: ModelLoader } = {},
) {
  const f = createChatFixture({ decodeDelayMs: opts.decodeDelayMs, loader: opts.loader })
  const model = f.registry.add(
    writeStubModelFolder(path.join(f.dataDir, 'toy-model'), opts.generationConfig),
  )
  const session = f.store.createSession('test')
  return { ...f, model, session }
}

const greedy = { greedy: true, repetitionPenalty: 1, maxTokens: 8 }

describe('ChatService', () => {
  it('streams an answer and saves it with its stats and tokens', async () => {
    const f = setup()
    const turn = f.chat.send(f.session.id, 'hello', greedy)
    expect(turn.userMessage?.content).toBe('hello')
    expect(turn.assistantMessage?.status).toBe('streaming')
    await f.chat.settled(f.session.id)
    const tokens = f.events.filter((e) => e.event === 'chat.token')
    expect(tokens).toHaveLength(8)
    const thread = f.chat.thread(f.session.id)
    expect(thread.messages.map((t) => t.message.role)).toEqual(['user', 'assistant'])
    const answer = thread.messages[1].message
    expect(answer.content).toBe('abcdefgh')
    expect(answer.status).toBe('complete')
    expect(answer.stats?.completionTokens).toBe(8)
    expect(answer.stats?.modelName).toBe('toy-model')
    expect(answer.stats?.timeToFirstTokenMs).toBeGreaterThanOrEqual(0)
    expect(answer.stats?.params).toMatchObject({ greedy: true, finishReason: 'length' })
    const saved = f.chat.chatStore.tokens(answer.id)
    expect(saved.map((t) => t.text).join('')).toBe('abcdefgh')
    expect(saved[0].top).toHaveLength(5)
    expect(f.events.some((e) => e.event === 'chat.started')).toBe(true)
    expect(f.events.at(-1)?.event).toBe('chat.finished')
  })

  it('refuses a second request while the chat is answering, with busy', async () => {
    const f = setup({ decodeDelayMs: 5 })
    f.chat.send(f.session.id, 'one', { ...greedy, maxTokens: 50 })
    expect(() => f.chat.send(f.session.id, 'two', greedy)).toThrow(
      expect.objectContaining({ code: 'busy' }),
    )
    // The refused message was not written.
    expect(f.store.listMessages(f.session.id)).toHaveLength(2)
    f.chat.stop(f.session.id)
    await f.chat.settled(f.session.id)
  })

  it('stop keeps what was generated and marks the answer interrupted', async () => {
    const f = setup({ decodeDelayMs: 5 })
    f.bus.on((event, payload) => {
      if (event === 'chat.token' && (payload as { index: number }).index === 3) {
        f.chat.stop(f.session.id)
      }
    })
    f.chat.send(f.session.id, 'go', { ...greedy, maxTokens: 500 })
    await f.chat.settled(f.session.id)
    const answer = f.chat.thread(f.session.id).messages[1].message
    expect(answer.content).toBe('abcd')
    expect(answer.status).toBe('interrupted')
    expect(answer.stats?.params).toMatchObject({ finishReason: 'cancelled' })
  })

  it('regenerate keeps the old answer as an alternative; selectBranch shows it again', async () => {
    const f = setup()
    const first = f.chat.send(f.session.id, 'hi', greedy)
    await f.chat.settled(f.session.id)
    const second = f.chat.regenerate(f.session.id, first.assistantMessage!.id, {
      ...greedy,
      maxTokens: 3,
    })
    await f.chat.settled(f.session.id)
    let thread = f.chat.thread(f.session.id)
    expect(thread.messages).toHaveLength(2)
    expect(thread.messages[1].siblingIds).toEqual([
      first.assistantMessage!.id,
      second.assistantMessage!.id,
    ])
    expect(thread.messages[1].siblingIndex).toBe(1)
    expect(thread.messages[1].message.content).toBe('abc')
    thread = f.chat.selectBranch(f.session.id, first.assistantMessage!.id)
    expect(thread.messages[1].message.content).toBe('abcdefgh')
    expect(f.chat.thread(f.session.id).messages[1].siblingIndex).toBe(0)
  })

  it('regenerate draws a fresh seed each time, stored with the answer so it replays', async () => {
    const f = setup()
    const loose = { temperature: 2, topK: 0, topP: 1, minP: 0, repetitionPenalty: 1, maxTokens: 16 }
    f.chat.updateSettings(f.session.id, { sampling: loose })
    expect(f.chat.settings(f.session.id).randomSeed).toBe(true)
    const first = f.chat.send(f.session.id, 'hi')
    await f.chat.settled(f.session.id)
    const answers = [f.chat.thread(f.session.id).messages[1].message]
    for (let i = 0; i < 3; i++) {
      f.chat.regenerate(f.session.id, first.assistantMessage!.id)
      await f.chat.settled(f.session.id)
      answers.push(f.chat.thread(f.session.id).messages[1].message)
    }
    const seeds = answers.map((a) => (a.stats?.params as { seed: number }).seed)
    expect(new Set(seeds).size).toBe(4)
    expect(new Set(answers.map((a) => a.content)).size).toBeGreaterThan(1)
    // The seed shown with an answer gives that answer again.
    f.chat.regenerate(f.session.id, first.assistantMessage!.id, { seed: seeds[0] })
    await f.chat.settled(f.session.id)
    expect(f.chat.thread(f.session.id).messages[1].message.content).toBe(answers[0].content)
    // A seed the person types is kept for every answer.
    f.chat.updateSettings(f.session.id, { sampling: { seed: 5 } })
    expect(f.chat.settings(f.session.id).randomSeed).toBe(false)
    f.chat.regenerate(f.session.id, first.assistantMessage!.id)
    await f.chat.settled(f.session.id)
    const fixed = f.chat.thread(f.session.id).messages[1].message
    expect((fixed.stats?.params as { seed: number }).seed).toBe(5)
  })

  it('the thinking switch reaches the chat template', async () => {
    const toy = createToyModel()
    const f = setup({ loader: async () => toy.model })
    expect(f.chat.settings(f.session.id).thinking).toBe(true)
    f.chat.send(f.session.id, 'hi')
    await f.chat.settled(f.session.id)
    f.chat.updateSettings(f.session.id, { thinking: false })
    f.chat.send(f.session.id, 'again')
    await f.chat.settled(f.session.id)
    const prompts = toy.log.prefills.map((ids) => toy.model.decode(ids))
    expect(prompts[0]).not.toContain('<think>')
    expect(prompts.at(-1)).toContain('<think></think>')
  })

  it('edit and resend replaces the later turns and keeps the old ones as a branch', async () => {
    const f = setup()
    const a = f.chat.send(f.session.id, 'first', greedy)
    await f.chat.settled(f.session.id)
    f.chat.send(f.session.id, 'second', greedy)
    await f.chat.settled(f.session.id)
    expect(f.chat.thread(f.session.id).messages).toHaveLength(4)
    const edited = f.chat.edit(f.session.id, a.userMessage!.id, 'first, edited', greedy)
    await f.chat.settled(f.session.id)
    const thread = f.chat.thread(f.session.id)
    expect(thread.messages.map((t) => t.message.content)).toEqual(['first, edited', 'abcdefgh'])
    expect(thread.messages[0].siblingIds).toEqual([a.userMessage!.id, edited.userMessage!.id])
    const old = f.chat.selectBranch(f.session.id, a.userMessage!.id)
    expect(old.messages.map((t) => t.message.content)).toEqual([
      'first',
      'abcdefgh',
      'second',
      'abcdefgh',
    ])
  })

  it('saves what the user writes when no model is available', () => {
    const f = createChatFixture()
    const session = f.store.createSession('empty')
    const turn = f.chat.send(session.id, 'anyone there?')
    expect(turn.assistantMessage).toBeNull()
    expect(f.chat.thread(session.id).messages.map((t) => t.message.content)).toEqual([
      'anyone there?',
    ])
  })

  it('takes sampling defaults from generation_config.json, under the session settings', () => {
    const f = setup({ generationConfig: { temperature: 0.3, top_k: 7, do_sample: true } })
    expect(f.chat.settings(f.session.id).sampling).toMatchObject({ temperature: 0.3, topK: 7 })
    const s = f.chat.updateSettings(f.session.id, {
      systemPrompt: 'Be kind.',
      sampling: { seed: 9 },
    })
    expect(s).toMatchObject({ systemPrompt: 'Be kind.', mode: 'chat' })
    expect(s.sampling).toMatchObject({ temperature: 0.3, topK: 7, seed: 9 })
  })
})

describe('ChatService when the database is locked mid-answer', () => {
  it('keeps generating: a failed partial write is retried, never cancels', async () => {
    const f = setup({ decodeDelayMs: 5 })
    f.db.pragma('busy_timeout = 10')
    const other = new Database(f.db.name)
    f.bus.on((event, payload) => {
      if (event === 'chat.token' && (payload as { index: number }).index === 2) {
        other.exec('BEGIN IMMEDIATE')
        setTimeout(() => other.exec('COMMIT'), 150)
      }
    })
    f.chat.send(f.session.id, 'go', { ...greedy, maxTokens: 60 })
    await f.chat.settled(f.session.id)
    other.close()
    const answer = f.chat.thread(f.session.id).messages[1].message
    expect(answer.status).toBe('complete')
    expect(answer.content).toHaveLength(60)
  })
})

describe('ChatService when the chat is deleted mid-answer', () => {
  it('stops the answer and leaves nothing behind, without an unhandled error', async () => {
    const f = setup({ decodeDelayMs: 5 })
    f.bus.on((event, payload) => {
      if (event === 'chat.token' && (payload as { index: number }).index === 2) {
        f.store.deleteSession(f.session.id)
      }
    })
    f.chat.send(f.session.id, 'go', { ...greedy, maxTokens: 5000 })
    await f.chat.settled(f.session.id)
    expect(f.chat.thread.bind(f.chat, f.session.id)).toThrow()
    expect(f.events.some((e) => e.event === 'chat.finished')).toBe(false)
  })
})
