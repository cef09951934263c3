// A chat turn from request to saved answer: messages are written in a transaction when the
// turn starts and when it ends, partial text within ~0.1 s of being shown, and tokens are
// streamed on the event bus as they come.
import { randomInt } from 'node:crypto'
import type Database from 'better-sqlite3'
import type { ChatSettings, SamplingSettings, Thread } from '../../contract/chat'
import { ApiError } from '../../contract/define'
import type { Message } from '../../contract/sessions'
import type { EngineModelRef, TextEngine } from '../engine/engine'
import type { GenerationResult } from '../engine/types'
import type { EventBus } from '../eventBus'
import type { ModelRegistry } from '../models/registry'
import type { SessionStore } from '../store'
import { ChatStore, threadOf, type StoredToken } from './chatStore'
import { resolveSettings } from './settings'
import { writeTransaction } from '../store/writeTransaction'

export interface ChatServiceDeps {
  db: Database.Database
  store: SessionStore
  registry: ModelRegistry
  engine: TextEngine
  bus: EventBus
  /** How often the partial answer is written while it streams. */
  flushIntervalMs?: number
}

interface Turn {
  userMessage: Message | null
  assistantMessage: Message | null
}

export class ChatService {
  readonly chatStore: ChatStore
  private readonly running = new Map<
    number,
    { messageId: number; abort: AbortController; done: Promise<void> }
  >()

  constructor(private readonly deps: ChatServiceDeps) {
    this.chatStore = new ChatStore(deps.db)
  }

  settings(sessionId: number): ChatSettings {
    this.deps.store.getSession(sessionId)
    const patch = this.chatStore.settingsPatch(sessionId)
    const modelId =
      typeof patch.modelId === 'number' ? patch.modelId : this.deps.registry.selectedId()
    const model = modelId !== null ? this.tryModel(modelId) : null
    return resolveSettings(
      patch,
      model,
      model ? this.deps.registry.generationConfig(model.id) : null,
    )
  }

  updateSettings(
    sessionId: number,
    patch: Partial<Omit<ChatSettings, 'sampling'>> & { sampling?: Partial<SamplingSettings> },
  ): ChatSettings {
    this.deps.store.getSession(sessionId)
    const current = this.chatStore.settingsPatch(sessionId)
    const next: Record<string, unknown> = { ...current, ...patch }
    if (patch.sampling) {
      next.sampling = { ...((current.sampling as object) ?? {}), ...patch.sampling }
      // Typing a seed means "use this one": it stops the fresh seed per answer.
      if (patch.sampling.seed !== undefined && patch.randomSeed === undefined) {
        next.randomSeed = false
      }
    }
    this.chatStore.saveSettingsPatch(sessionId, next)
    return this.settings(sessionId)
  }

  thread(sessionId: number): Thread {
    const messages = this.deps.store.listMessages(sessionId)
    return {
      sessionId,
      messages: threadOf(messages, this.chatStore.activeLeaf(sessionId)),
      generatingId: this.running.get(sessionId)?.messageId ?? null,
    }
  }

  selectBranch(sessionId: number, messageId: number): Thread {
    const message = this.deps.store.getMessage(messageId)
    if (message.sessionId !== sessionId)
      throw new ApiError('bad_request', 'That message belongs to another chat.')
    this.assertIdle(sessionId)
    this.chatStore.setActiveLeaf(sessionId, messageId)
    // The newest path below the chosen alternative becomes the leaf.
    const thread = this.thread(sessionId)
    const leaf = thread.messages[thread.messages.length - 1]
    this.chatStore.setActiveLeaf(sessionId, leaf ? leaf.message.id : null)
    return thread
  }

  send(sessionId: number, text: string, sampling?: Partial<SamplingSettings>): Turn {
    this.assertIdle(sessionId)
    const thread = this.thread(sessionId).messages
    const parentId = thread.length ? thread[thread.length - 1].message.id : null
    return this.startTurn(sessionId, { parentId, text }, sampling)
  }

  regenerate(sessionId: number, messageId: number, sampling?: Partial<SamplingSettings>): Turn {
    this.assertIdle(sessionId)
    const target = this.deps.store.getMessage(messageId)
    if (target.sessionId !== sessionId)
      throw new ApiError('bad_request', 'That message belongs to another chat.')
    // Regenerating an answer answers its user message again; a user message can be answered too.
    const user =
      target.role === 'assistant' && target.parentId !== null
        ? this.deps.store.getMessage(target.parentId)
        : target
    if (user.role !== 'user')
      throw new ApiError('bad_request', 'Only an answer to a user message can be regenerated.')
    return this.startTurn(sessionId, { answerTo: user }, sampling)
  }

  edit(
    sessionId: number,
    messageId: number,
    text: string,
    sampling?: Partial<SamplingSettings>,
  ): Turn {
    this.assertIdle(sessionId)
    const original = this.deps.store.getMessage(messageId)
    if (original.sessionId !== sessionId || original.role !== 'user') {
      throw new ApiError('bad_request', 'Only a user message of this chat can be edited.')
    }
    // The edit is a sibling of the original: the old message and its answers stay a branch.
    return this.startTurn(sessionId, { parentId: original.parentId, text }, sampling)
  }

  stop(sessionId: number): boolean {
    const run = this.running.get(sessionId)
    if (!run) return false
    run.abort.abort()
    return true
  }

  /** Resolves when the session's current answer has been saved (tests, shutdown). */
  async settled(sessionId: number): Promise<void> {
    await this.running.get(sessionId)?.done
  }

  async stopAll(): Promise<void> {
    const runs = [...this.running.values()]
    for (const run of runs) run.abort.abort()
    await Promise.all(runs.map((r) => r.done))
  }

  private assertIdle(sessionId: number): void {
    if (this.running.has(sessionId)) {
      throw new ApiError(
        'busy',
        'This chat is still answering: stop it or wait for the answer to finish.',
      )
    }
  }

  private messageExists(id: number): boolean {
    try {
      this.deps.store.getMessage(id)
      return true
    } catch {
      return false
    }
  }

  private messageGone(id: number): boolean {
    try {
      this.deps.store.getMessage(id)
      return false
    } catch (err) {
      return err instanceof ApiError && err.code === 'not_found'
    }
  }

  private tryModel(id: number) {
    try {
      return this.deps.registry.get(id)
    } catch {
      return null
    }
  }

  private startTurn(
    sessionId: number,
    from: { parentId: number | null; text: string } | { answerTo: Message },
    override?: Partial<SamplingSettings>,
  ): Turn {
    const { store, db, bus } = this.deps
    const settings = this.settings(sessionId)
    const modelId = settings.modelId ?? this.deps.registry.selectedId()
    const model = modelId !== null ? this.tryModel(modelId) : null
    const sampling = { ...settings.sampling, ...override }
    if (settings.randomSeed && override?.seed === undefined) sampling.seed = randomInt(2 ** 32)

    // One transaction: the user's message is never lost, and the answer row exists (as
    // 'streaming') before the first token, so a crash leaves it to be marked interrupted.
    const turn = writeTransaction(db, (): Turn => {
      const userMessage =
        'answerTo' in from
          ? null
          : store.addMessage({
              sessionId,
              role: 'user',
              content: from.text,
              parentId: from.parentId,
            })
      const parent = userMessage ?? (from as { answerTo: Message }).answerTo
      if (!model) {
        this.chatStore.setActiveLeaf(sessionId, parent.id)
        return { userMessage, assistantMessage: null }
      }
      const assistantMessage = store.addMessage({
        sessionId,
        role: 'assistant',
        content: '',
        parentId: parent.id,
        status: 'streaming',
        stats: {
          modelId: model.id,
          modelName: model.name,
          params: { ...sampling, mode: settings.mode },
        },
      })
      this.chatStore.setActiveLeaf(sessionId, assistantMessage.id)
      return { userMessage, assistantMessage }
    })
    if (turn.userMessage) bus.emit('messages.added', { message: turn.userMessage })
    bus.emit('sessions.changed', { sessionId, change: 'touched' })
    if (!turn.assistantMessage || !model) return turn
    bus.emit('messages.added', { message: turn.assistantMessage })

    const messageId = turn.assistantMessage.id
    const abort = new AbortController()
    const ref: EngineModelRef = {
      id: model.id,
      name: model.name,
      path: model.path,
      quantization: model.quantization,
    }
    const done = this.runGeneration(sessionId, messageId, ref, settings, sampling, abort)
      .catch((err: unknown) => console.error(`Chat ${sessionId}: the answer was not saved:`, err))
      .finally(() => {
        this.running.delete(sessionId)
      })
    this.running.set(sessionId, { messageId, abort, done })
    return turn
  }

  private async runGeneration(
    sessionId: number,
    messageId: number,
    model: EngineModelRef,
    settings: ChatSettings,
    sampling: SamplingSettings,
    abort: AbortController,
  ): Promise<void> {
    const { store, bus, engine } = this.deps
    const path = this.thread(sessionId).messages.map((t) => t.message)
    const upTo = path.findIndex((m) => m.id === messageId)
    const turns = path
      .slice(0, upTo < 0 ? path.length : upTo)
      .filter((m) => m.role !== 'system' && m.content.length > 0)
      .map((m) => ({ role: m.role, content: m.content }))
    const tokens: StoredToken[] = []
    let text = ''
    let lastFlush = Date.now()
    let storedLength = 0
    let flushTimer: NodeJS.Timeout | null = null
    let warned = false
    let info = { promptTokens: 0, reusedTokens: 0, droppedTurns: 0 }
    const flushEvery = this.deps.flushIntervalMs ?? 80
    // What was shown is stored within flushEvery: on a token when the last write is old
    // enough, else by a timer, so a kill loses at most the last ~0.1 s of the answer.
    const flush = () => {
      if (flushTimer) clearTimeout(flushTimer)
      flushTimer = null
      lastFlush = Date.now()
      if (text.length === storedLength) return
      try {
        store.updateMessage(messageId, { content: text })
        storedLength = text.length
      } catch (err) {
        // A deleted chat has nothing left to write to; a busy or locked database only delays
        // the write to the next flush and never costs the answer.
        if (this.messageGone(messageId)) abort.abort()
        else if (!warned)
          console.warn(`Chat ${sessionId}: the partial answer waits to be saved:`, err)
        warned = true
      }
    }
    let result: GenerationResult | null = null
    let failure: string | null = null
    try {
      result = await engine.generate(
        model,
        {
          cacheKey: String(sessionId),
          mode: settings.mode,
          systemPrompt: settings.systemPrompt,
          turns,
          params: sampling,
          thinking: settings.thinking,
        },
        (event) => {
          if (event.type === 'prompt') {
            info = {
              promptTokens: event.promptTokens,
              reusedTokens: event.reusedTokens,
              droppedTurns: event.droppedTurns,
            }
            bus.emit('chat.started', { sessionId, messageId, ...info })
            return
          }
          const { token } = event
          text += token.text
          tokens.push(token)
          bus.emit('chat.token', { sessionId, messageId, ...token })
          const since = Date.now() - lastFlush
          if (since >= flushEvery) flush()
          else flushTimer ??= setTimeout(flush, flushEvery - since)
        },
        abort.signal,
      )
    } catch (err) {
      failure = err instanceof Error ? err.message : String(err)
    }
    if (flushTimer) clearTimeout(flushTimer)
    if (!this.messageExists(messageId)) return
    const stats = result?.stats
    const finishReason = failure ? 'error' : (stats?.finishReason ?? 'error')
    const message = writeTransaction(this.deps.db, () => {
      if (tokens.length) this.chatStore.saveTokens(messageId, tokens)
      return store.updateMessage(messageId, {
        content: result ? result.text : text,
        status: failure ? 'error' : finishReason === 'cancelled' ? 'interrupted' : 'complete',
        error: failure,
        stats: {
          modelId: model.id,
          modelName: model.name,
          params: {
            ...sampling,
            mode: settings.mode,
            finishReason,
            droppedTurns: stats?.droppedTurns ?? info.droppedTurns,
            reusedTokens: stats?.reusedTokens ?? info.reusedTokens,
            totalMs: stats?.totalMs ?? null,
          },
          promptTokens: stats?.promptTokens ?? (info.promptTokens || null),
          completionTokens: stats?.completionTokens ?? tokens.length,
          tokensPerSecond: stats?.tokensPerSecond ?? null,
          timeToFirstTokenMs: stats?.ttftMs ?? null,
        },
      })
    })
    bus.emit('messages.updated', { message })
    bus.emit('chat.finished', { sessionId, message, finishReason })
  }
}
