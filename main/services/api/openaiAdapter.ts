// OpenAI's request shapes translated to the engine's one generation path and its results
// back to OpenAI's response shapes. No sampling or decoding of its own: the engine's
// generator, sampler and schema mask do the work, as for a chat in the app.
import crypto from 'node:crypto'
import type {
  ChatCompletionRequest,
  ChatMessageIn,
  CompletionRequest,
  EmbeddingRequest,
} from '../../contract/openai'
import { ApiError } from '../../contract/define'
import type { ModelEntry } from '../../contract/models'
import type { EngineModelRef, TextEngine } from '../engine/engine'
import type { ChatTurn, GeneratedToken, GenerateRequest, GenerationStats } from '../engine/types'
import type { ModelRegistry } from '../models/registry'
import {
  finishReasonOf,
  forcedToolSchema,
  jsonConstraintOf,
  refOf,
  textChunk,
  textOf,
  topByText,
  turnOf,
  usageOf,
} from './openaiShapes'
import { callOf, parseToolCalls } from './toolCalls'

export interface OpenAiAdapterDeps {
  registry: ModelRegistry
  engine: TextEngine
  embed(model: EngineModelRef, texts: string[]): Promise<{ vectors: number[][]; tokens: number }>
  /** Called with each finished chat request (the API's sessions), when given. */
  onChatDone?: (record: ApiChatRecord) => void
}

export interface ApiChatRecord {
  model: ModelEntry
  messages: ChatMessageIn[]
  /** The answer as the client got it. */
  answer: ChatMessageIn
  stats: GenerationStats
  params: Record<string, unknown>
}

/** Streamed chunks go here; without a sink the call returns the whole response. */
export type ChunkSink = (chunk: object) => void

type Sampling = Pick<
  ChatCompletionRequest,
  | 'temperature'
  | 'top_p'
  | 'seed'
  | 'stop'
  | 'presence_penalty'
  | 'frequency_penalty'
  | 'logit_bias'
  | 'max_tokens'
>

const unixNow = () => Math.floor(Date.now() / 1000)

export class OpenAiAdapter {
  /** Generations run one after another: one model is in memory, and its steps are serial. */
  private queue: Promise<unknown> = Promise.resolve()

  constructor(private readonly deps: OpenAiAdapterDeps) {}

  listModels(): object {
    return {
      object: 'list',
      data: this.deps.registry
        .list()
        .filter((m) => !m.missing)
        .map((m) => ({
          id: m.name,
          object: 'model',
          created: Math.floor(m.addedAt / 1000),
          owned_by: 'glassbox',
          name: m.name,
          glassbox_id: m.id,
        })),
    }
  }

  /** `model` names a registered model by its name or its numeric id. */
  resolveModel(name: string): ModelEntry {
    const found = this.deps.registry
      .list()
      .find((m) => !m.missing && (m.name === name || String(m.id) === name))
    if (!found) {
      throw new ApiError(
        'not_found',
        `The model "${name}" does not exist; GET /v1/models lists them.`,
      )
    }
    return found
  }

  async chat(body: ChatCompletionRequest, sink?: ChunkSink, signal?: AbortSignal): Promise<object> {
    const model = this.resolveModel(body.model)
    const tools = body.tools ?? []
    const choice = body.tool_choice ?? (tools.length ? 'auto' : 'none')
    const forced = forcedToolSchema(tools, choice)
    const json = forced ? { schema: forced } : jsonConstraintOf(body.response_format)
    const system = body.messages.filter((m) => m.role === 'system' || m.role === 'developer')
    const turns: ChatTurn[] = body.messages
      .filter((m) => m.role !== 'system' && m.role !== 'developer')
      .map((m) => turnOf(m, body.messages))
    const wantLogprobs = body.logprobs === true
    // With tools the answer may be a call: it is parsed whole, so a stream sends it at the end.
    const parseCalls = tools.length > 0 && choice !== 'none'
    const streamSink = parseCalls ? undefined : sink
    const request = this.request(model, body, {
      mode: 'chat',
      systemPrompt: system.map((m) => textOf(m.content)).join('\n\n'),
      turns,
      maxTokens: body.max_completion_tokens ?? body.max_tokens,
      topLogprobs: wantLogprobs ? (body.top_logprobs ?? 0) : 0,
      json,
      tools: tools.length ? tools : undefined,
      thinking: body.chat_template_kwargs?.enable_thinking,
    })
    const id = `chatcmpl-${crypto.randomUUID()}`
    const created = unixNow()
    const base = { id, created, model: model.name }
    const logprobsOf = (t: GeneratedToken) => ({
      token: t.piece ?? t.text,
      logprob: t.logprob,
      bytes: [...Buffer.from(t.piece ?? t.text)],
      top_logprobs: t.top.map((a) => ({
        token: a.text,
        logprob: a.logprob,
        bytes: [...Buffer.from(a.text)],
      })),
    })
    const content: ReturnType<typeof logprobsOf>[] = []
    let first = true
    const result = await this.generate(model, request, signal, (token) => {
      if (wantLogprobs) content.push(logprobsOf(token))
      if (!streamSink) return
      streamSink({
        ...base,
        object: 'chat.completion.chunk',
        choices: [
          {
            index: 0,
            delta: first ? { role: 'assistant', content: token.text } : { content: token.text },
            logprobs: wantLogprobs ? { content: [logprobsOf(token)] } : null,
            finish_reason: null,
          },
        ],
      })
      first = false
    })
    const names = tools.map((t) => t.function.name)
    const answer = parseCalls
      ? forced
        ? { content: null, calls: [callOf(result.text, new Set(names))].filter((c) => c !== null) }
        : parseToolCalls(result.text, names)
      : { content: result.text, calls: [] }
    const toolCalls = answer.calls.map((c, index) => ({
      index,
      id: `call_${crypto.randomUUID().replace(/-/g, '').slice(0, 24)}`,
      type: 'function' as const,
      function: { name: c.name, arguments: c.arguments },
    }))
    const finish = toolCalls.length ? 'tool_calls' : finishReasonOf(result.stats.finishReason)
    const usage = usageOf(result.stats)
    this.deps.onChatDone?.({
      model,
      messages: body.messages,
      answer: { role: 'assistant', content: answer.content, tool_calls: toolCalls },
      stats: result.stats,
      params: { ...request.params, api: true },
    })
    const message = {
      role: 'assistant' as const,
      content: answer.content,
      refusal: null,
      ...(toolCalls.length ? { tool_calls: toolCalls.map(({ index: _, ...c }) => c) } : {}),
    }
    if (sink) {
      if (parseCalls) {
        sink({
          ...base,
          object: 'chat.completion.chunk',
          choices: [
            {
              index: 0,
              delta: {
                role: 'assistant',
                content: answer.content,
                ...(toolCalls.length ? { tool_calls: toolCalls } : {}),
              },
              logprobs: wantLogprobs ? { content } : null,
              finish_reason: null,
            },
          ],
        })
        first = false
      }
      sink({
        ...base,
        object: 'chat.completion.chunk',
        choices: [{ index: 0, delta: first ? { role: 'assistant' } : {}, finish_reason: finish }],
      })
      if (body.stream_options?.include_usage) {
        sink({ ...base, object: 'chat.completion.chunk', choices: [], usage })
      }
      return {}
    }
    return {
      ...base,
      object: 'chat.completion',
      choices: [
        {
          index: 0,
          message,
          logprobs: wantLogprobs ? { content, refusal: null } : null,
          finish_reason: finish,
        },
      ],
      usage,
    }
  }

  async completions(
    body: CompletionRequest,
    sink?: ChunkSink,
    signal?: AbortSignal,
  ): Promise<object> {
    const model = this.resolveModel(body.model)
    const prompts = typeof body.prompt === 'string' ? [body.prompt] : body.prompt
    const id = `cmpl-${crypto.randomUUID()}`
    const base = { id, created: unixNow(), model: model.name }
    const topN = body.logprobs ?? 0
    const choices: object[] = []
    let promptTokens = 0
    let completionTokens = 0
    for (const [index, prompt] of prompts.entries()) {
      const request = this.request(model, body, {
        mode: 'completion',
        systemPrompt: '',
        turns: [{ role: 'user', content: prompt }],
        maxTokens: body.max_tokens ?? 16,
        topLogprobs: topN,
      })
      const tokens: GeneratedToken[] = []
      if (sink && body.echo) sink(textChunk(base, index, prompt, null))
      const result = await this.generate(model, request, signal, (token) => {
        tokens.push(token)
        if (sink) sink(textChunk(base, index, token.text, null))
      })
      promptTokens += result.stats.promptTokens
      completionTokens += result.stats.completionTokens
      const finish = finishReasonOf(result.stats.finishReason)
      if (sink) {
        sink(textChunk(base, index, '', finish))
        continue
      }
      let offset = body.echo ? prompt.length : 0
      choices.push({
        index,
        text: (body.echo ? prompt : '') + result.text,
        logprobs:
          body.logprobs === undefined || body.logprobs === null
            ? null
            : {
                tokens: tokens.map((t) => t.piece ?? t.text),
                token_logprobs: tokens.map((t) => t.logprob),
                top_logprobs: tokens.map((t) => topByText(t.top)),
                text_offset: tokens.map((t) => {
                  const at = offset
                  offset += t.text.length
                  return at
                }),
              },
        finish_reason: finish,
      })
    }
    const usage = {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
    }
    if (sink) {
      if (body.stream_options?.include_usage)
        sink({ ...base, object: 'text_completion', choices: [], usage })
      return {}
    }
    return { ...base, object: 'text_completion', choices, usage }
  }

  async embeddings(body: EmbeddingRequest): Promise<object> {
    const model = this.resolveModel(body.model)
    const texts = typeof body.input === 'string' ? [body.input] : body.input
    const { vectors, tokens } = await this.enqueue(() => this.deps.embed(refOf(model), texts))
    return {
      object: 'list',
      data: vectors.map((vector, index) => ({
        object: 'embedding',
        index,
        // base64: the float32 values' little-endian bytes (what the openai client asks for).
        embedding:
          body.encoding_format === 'base64'
            ? Buffer.from(Float32Array.from(vector).buffer).toString('base64')
            : vector,
      })),
      model: model.name,
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    }
  }

  private request(
    model: ModelEntry,
    body: Sampling,
    opts: {
      mode: GenerateRequest['mode']
      systemPrompt: string
      turns: ChatTurn[]
      maxTokens: number | null | undefined
      topLogprobs: number
      json?: GenerateRequest['json']
      tools?: GenerateRequest['tools']
      thinking?: GenerateRequest['thinking']
    },
  ): GenerateRequest {
    // OpenAI's defaults: temperature 1, top_p 1, and none of the app's extra cuts.
    const temperature = body.temperature ?? 1
    return {
      // Every request carries its whole conversation; its own cache key keeps it apart.
      cacheKey: `api:${crypto.randomUUID()}`,
      mode: opts.mode,
      systemPrompt: opts.systemPrompt,
      turns: opts.turns,
      truncate: false,
      json: opts.json,
      tools: opts.tools,
      thinking: opts.thinking,
      params: {
        temperature,
        topP: body.top_p ?? 1,
        topK: 0,
        minP: 0,
        repetitionPenalty: 1,
        greedy: temperature === 0,
        seed: body.seed ?? crypto.randomInt(2 ** 31),
        maxTokens: opts.maxTokens ?? model.contextLength,
        stop: body.stop === undefined || body.stop === null ? [] : [body.stop].flat(),
        presencePenalty: body.presence_penalty ?? 0,
        frequencyPenalty: body.frequency_penalty ?? 0,
        logitBias: body.logit_bias ?? undefined,
        topLogprobs: opts.topLogprobs,
      },
    }
  }

  private generate(
    model: ModelEntry,
    request: GenerateRequest,
    signal: AbortSignal | undefined,
    onToken: (token: GeneratedToken) => void,
  ) {
    return this.enqueue(() => {
      if (signal?.aborted) throw new ApiError('bad_request', 'The client went away.')
      return this.deps.engine.generate(
        refOf(model),
        request,
        (event) => {
          if (event.type === 'token') onToken(event.token)
        },
        signal,
      )
    })
  }

  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work)
    this.queue = run.catch(() => {})
    return run
  }
}
