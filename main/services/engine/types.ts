// The engine's view of a loaded model. native-models' LoadedModel is adapted to this in
// modelAdapter.ts, so the generation loop and its tests depend only on what they use.
import type {
  ChatMessage,
  ChatRenderOptions,
  StepLogits,
} from '../../../native-models/runtime/types'
import type { SamplingParams } from './sampling'

/** A KV-cached decoding session: what sits in the cache is the tokens fed so far. */
export interface DecodeSessionLike {
  /** Appends ids to the cache; returns the last position's logits. */
  prefill(ids: number[]): Promise<StepLogits> | StepLogits
  /** Appends one id; returns its logits. */
  decode(id: number): Promise<StepLogits> | StepLogits
  /** Keeps the first n cached positions. */
  truncate(n: number): void
  dispose(): void | Promise<void>
}

/** A turn as the chat template reads it (tool calls and results included). */
export type ChatTurn = ChatMessage

export interface ChatModel {
  /** Stable id for stats (the registry's model id or folder name). */
  id: string
  contextLength: number
  eosTokenIds: number[]
  hasChatTemplate: boolean
  encode(text: string, addSpecialTokens: boolean): number[]
  decode(ids: number[]): string
  renderChat(turns: ChatTurn[], opts: ChatRenderOptions): string
  newSession(): DecodeSessionLike
  dispose(): void | Promise<void>
}

export interface GenerationParams extends SamplingParams {
  maxTokens: number
  stop: string[]
  /** Never end at the end-of-text token (llama.cpp's --ignore-eos): for experiments. */
  ignoreEos?: boolean
  /** OpenAI's penalties over the completion so far, and additive biases by token id. */
  presencePenalty?: number
  frequencyPenalty?: number
  logitBias?: Record<string, number>
  /** How many alternatives each token reports (5 when unset). */
  topLogprobs?: number
}

export interface GenerateRequest {
  /** The KV cache is kept per key (the chat session), so a follow-up reuses its prefix. */
  cacheKey: string
  mode: 'chat' | 'completion'
  systemPrompt: string
  /** chat: the conversation so far, ending with the user's turn. completion: one user turn
   *  whose content is the text to continue (earlier turns are concatenated). */
  turns: ChatTurn[]
  /** The prompt as token ids, used as they are instead of rendering the turns (the
   *  inspector's branch by token). */
  promptIds?: number[]
  params: GenerationParams
  /** Function tools for the chat template (OpenAI's `tools`). */
  tools?: unknown[]
  /** Only text matching this JSON schema may be sampled (null schema: any JSON object). */
  json?: { schema: unknown }
  /** false: a prompt that does not fit the context is an error instead of losing its start. */
  truncate?: boolean
  /** The chat template's enable_thinking (Qwen3); unset: the template's default. */
  thinking?: boolean
}

export interface TokenAlternative {
  tokenId: number
  text: string
  logprob: number
}

export interface GeneratedToken {
  index: number
  tokenId: number
  /** Text to append now (may be empty: held back for an incomplete character or stop). */
  text: string
  /** This token's own text, decoded alone (the API reports it with its logprob). */
  piece?: string
  logprob: number
  top: TokenAlternative[]
}

export type FinishReason = 'eos' | 'length' | 'stop' | 'cancelled'

export interface GenerationStats {
  promptTokens: number
  completionTokens: number
  /** Prompt tokens that were already in the KV cache and were not computed again. */
  reusedTokens: number
  droppedTurns: number
  ttftMs: number
  tokensPerSecond: number
  totalMs: number
  finishReason: FinishReason
  seed: number
  /** Rendering the template and tokenizing the conversation. */
  promptBuildMs: number
  /** Time inside the model's decode steps, and how many: the rest of the wall time after
   *  the first token is the chat path's own cost (sampling, text, events). */
  decodeMs: number
  decodeSteps: number
  /** Time computing the schema's token masks (0 without a schema). */
  maskMs?: number
}

export interface GenerationResult {
  text: string
  stats: GenerationStats
}

/** Known once the prompt is built, before the first token: the UI says what was dropped. */
export interface PromptInfo {
  promptTokens: number
  reusedTokens: number
  droppedTurns: number
}
