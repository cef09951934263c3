// The generation loop: prefill (reusing the cached prefix), then one decode step per
// token, sampling, detokenizing and filtering stop strings as it goes.
import { ApiError } from '../../contract/define'
import { buildPrompt } from './prompt'
import { buildVocabulary, JsonConstraint, type Vocabulary } from './jsonMask'
import { createRng, penaltyProcessor, sampleToken, type LogitsProcessor } from './sampling'
import { IncrementalDetokenizer, StopStringFilter } from './textStream'
import type {
  ChatModel,
  DecodeSessionLike,
  FinishReason,
  GeneratedToken,
  GenerateRequest,
  GenerationResult,
  PromptInfo,
} from './types'

interface CachedSession {
  session: DecodeSessionLike
  /** Exactly the ids whose keys and values sit in the session's cache. */
  ids: number[]
}

/** How many chats keep a warm KV cache; each costs layers × 2 × kvHeads × headDim × tokens. */
const maxCachedSessions = 4

export class Generator {
  private readonly caches = new Map<string, CachedSession>()
  private readonly running = new Set<string>()
  private vocabulary: Vocabulary | null = null

  constructor(
    readonly model: ChatModel,
    private readonly now: () => number = () => performance.now(),
  ) {}

  isRunning(cacheKey: string): boolean {
    return this.running.has(cacheKey)
  }

  async generate(
    req: GenerateRequest,
    onToken: (token: GeneratedToken) => void,
    signal?: AbortSignal,
    onPrompt?: (info: PromptInfo) => void,
  ): Promise<GenerationResult> {
    if (this.running.has(req.cacheKey)) {
      throw new ApiError('busy', 'This chat is already generating an answer: stop it first.')
    }
    this.running.add(req.cacheKey)
    try {
      return await this.run(req, onToken, signal, onPrompt)
    } catch (err) {
      // A failed step leaves the cache in an unknown state: start that chat afresh next time.
      void this.caches.get(req.cacheKey)?.session.dispose()
      this.caches.delete(req.cacheKey)
      throw err
    } finally {
      this.running.delete(req.cacheKey)
    }
  }

  private async run(
    req: GenerateRequest,
    onToken: (token: GeneratedToken) => void,
    signal?: AbortSignal,
    onPrompt?: (info: PromptInfo) => void,
  ): Promise<GenerationResult> {
    const start = this.now()
    const { model } = this
    const prompt = buildPrompt(model, req)
    const promptBuildMs = this.now() - start
    const params = { ...req.params, maxTokens: prompt.maxTokens }
    const cached = this.takeCache(req.cacheKey)

    // Reuse the longest cached prefix; at least one token is fed so we get fresh logits.
    let common = 0
    const limit = Math.min(cached.ids.length, prompt.ids.length - 1)
    while (common < limit && cached.ids[common] === prompt.ids[common]) common++
    onPrompt?.({
      contextLength: model.contextLength,
      promptTokens: prompt.ids.length,
      fullPromptTokens: prompt.fullTokens,
      droppedTurns: prompt.droppedTurns,
      requestedMaxTokens: req.params.maxTokens,
      maxTokens: prompt.maxTokens,
      reusedTokens: common,
    })
    cached.session.truncate(common)
    cached.ids.length = common
    let logits = await cached.session.prefill(prompt.ids.slice(common))
    cached.ids.push(...prompt.ids.slice(common))

    const rng = createRng(params.seed)
    const eos = new Set(model.eosTokenIds)
    const banned = params.ignoreEos ? model.eosTokenIds : []
    const detok = new IncrementalDetokenizer((ids) => model.decode(ids))
    const stops = new StopStringFilter(params.stop)
    const history = prompt.ids.slice()
    let text = ''
    let firstAt = 0
    let count = 0
    let finish: FinishReason = 'length'
    let decodeMs = 0
    let decodeSteps = 0
    const generated: number[] = []
    const constraint = req.json
      ? new JsonConstraint(req.json.schema, this.vocabularyFor(logits.length), model.eosTokenIds)
      : null
    const penalties = penaltyProcessor(generated, params)
    const process: LogitsProcessor | undefined =
      penalties && constraint
        ? (l) => {
            penalties(l)
            constraint.processor(l)
          }
        : (penalties ?? constraint?.processor)
    const topN = params.topLogprobs ?? 5
    const alternativeText = new Map<number, string>()
    const pieceOf = (id: number) => {
      let s = alternativeText.get(id)
      if (s === undefined) alternativeText.set(id, (s = model.decode([id])))
      return s
    }

    for (;;) {
      const picked = sampleToken(logits, history, params, rng, topN, banned, process)
      if (count === 0) firstAt = this.now()
      if (eos.has(picked.tokenId)) {
        finish = 'eos'
        break
      }
      count++
      history.push(picked.tokenId)
      generated.push(picked.tokenId)
      constraint?.accept(picked.tokenId)
      const piece = stops.push(detok.push(picked.tokenId))
      text += piece
      onToken({
        index: count - 1,
        tokenId: picked.tokenId,
        text: piece,
        piece: pieceOf(picked.tokenId),
        logprob: picked.logprob,
        top: picked.top.map((t) => ({ ...t, text: pieceOf(t.tokenId) })),
      })
      if (stops.stopped) {
        finish = 'stop'
        break
      }
      // A schema's value is whole: end as at end-of-text, without another step.
      if (constraint?.complete) {
        finish = 'eos'
        break
      }
      if (count >= params.maxTokens) break
      // Cancellation is honoured here, between two decode steps: what was generated stays.
      if (signal?.aborted) {
        finish = 'cancelled'
        break
      }
      const stepStart = this.now()
      logits = await cached.session.decode(picked.tokenId)
      decodeMs += this.now() - stepStart
      decodeSteps++
      cached.ids.push(picked.tokenId)
    }
    if (!stops.stopped) text += stops.push(detok.flush()) + stops.flush()

    const end = this.now()
    const sinceFirst = end - firstAt
    return {
      text,
      stats: {
        promptTokens: prompt.ids.length,
        completionTokens: count,
        reusedTokens: common,
        droppedTurns: prompt.droppedTurns,
        ttftMs: firstAt - start,
        tokensPerSecond: count > 1 && sinceFirst > 0 ? ((count - 1) * 1000) / sinceFirst : 0,
        totalMs: end - start,
        finishReason: finish,
        seed: params.seed,
        promptBuildMs,
        decodeMs,
        decodeSteps,
        maskMs: constraint?.maskMs ?? 0,
      },
    }
  }

  /** The vocabulary's trie for schema masks, built at the first constrained request. */
  private vocabularyFor(size: number): Vocabulary {
    if (this.vocabulary?.size !== size) {
      this.vocabulary = buildVocabulary(size, (id) => this.model.decode([id]))
    }
    return this.vocabulary
  }

  /** The chat's cache, most recently used last; the least recent is freed past the limit. */
  private takeCache(key: string): CachedSession {
    let entry = this.caches.get(key)
    if (entry) this.caches.delete(key)
    else entry = { session: this.model.newSession(), ids: [] }
    this.caches.set(key, entry)
    while (this.caches.size > maxCachedSessions) {
      const [oldKey, old] = this.caches.entries().next().value as [string, CachedSession]
      if (this.running.has(oldKey)) break
      void old.session.dispose()
      this.caches.delete(oldKey)
    }
    return entry
  }

  /** Frees every KV cache (model switch or unload). */
  async dispose(): Promise<void> {
    const sessions = [...this.caches.values()].map((c) => c.session)
    this.caches.clear()
    for (const session of sessions) await session.dispose()
  }
}
