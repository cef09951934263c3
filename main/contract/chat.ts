import { z } from 'zod'
import { method } from './define'
import { ModelId } from './models'
import { Message } from './sessions'

const SessionId = z.number().int().positive()
const MessageId = z.number().int().positive()

/** Sampling knobs. Defaults come from the model's generation_config.json where it has them. */
export const SamplingSettings = z.object({
  temperature: z.number().min(0).max(5),
  topK: z.number().int().min(0).max(100_000),
  topP: z.number().gt(0).max(1),
  minP: z.number().min(0).max(1),
  repetitionPenalty: z.number().min(0.5).max(3),
  greedy: z.boolean(),
  seed: z.number().int().min(0).max(4294967295),
  maxTokens: z.number().int().min(1).max(32_768),
  stop: z.array(z.string().min(1).max(100)).max(8),
  /** Keep going past the end-of-text token (as llama.cpp's --ignore-eos): experiments. */
  ignoreEos: z.boolean(),
})
export type SamplingSettings = z.infer<typeof SamplingSettings>

export const ChatMode = z.enum(['chat', 'completion'])

export const ChatSettings = z.object({
  systemPrompt: z.string().max(100_000),
  /** completion: a base model continues the text instead of answering turns. */
  mode: ChatMode,
  sampling: SamplingSettings,
  /**
   * true: every answer draws its own seed (stored with the message, so it can be replayed),
   * so Regenerate gives a new answer; false: sampling.seed is used each time.
   */
  randomSeed: z.boolean(),
  /**
   * Whether a model whose chat template has a thinking switch (Qwen3's enable_thinking)
   * reasons in a <think> block before answering; other models ignore it.
   */
  thinking: z.boolean(),
  /** null: the model selected in the Models tab. */
  modelId: ModelId.nullable(),
})
export type ChatSettings = z.infer<typeof ChatSettings>

export const ChatSettingsPatch = z.object({
  systemPrompt: z.string().max(100_000).optional(),
  mode: ChatMode.optional(),
  sampling: SamplingSettings.partial().optional(),
  randomSeed: z.boolean().optional(),
  thinking: z.boolean().optional(),
  modelId: ModelId.nullable().optional(),
})

/** A message on the chosen path of a conversation, with its alternatives (siblings). */
export const ThreadMessage = z.object({
  message: Message,
  /** Every message with the same parent, oldest first (regenerations, edits). */
  siblingIds: z.array(MessageId),
  /** Position of this message among its siblings. */
  siblingIndex: z.number().int().nonnegative(),
})
export type ThreadMessage = z.infer<typeof ThreadMessage>

export const Thread = z.object({
  sessionId: SessionId,
  messages: z.array(ThreadMessage),
  /** The assistant message being generated now, if any. */
  generatingId: MessageId.nullable(),
})
export type Thread = z.infer<typeof Thread>

export const TokenChoice = z.object({
  tokenId: z.number().int().nonnegative(),
  text: z.string(),
  logprob: z.number(),
})

export const ChatToken = z.object({
  sessionId: SessionId,
  messageId: MessageId,
  index: z.number().int().nonnegative(),
  tokenId: z.number().int().nonnegative(),
  /** Text to append now (empty while an incomplete character or a stop string is held). */
  text: z.string(),
  /** Under the model's own distribution (temperature 1), not the sampling knobs. */
  logprob: z.number(),
  top: z.array(TokenChoice),
})
export type ChatToken = z.infer<typeof ChatToken>

/** assistantMessage is null when no model is available: the user's message is still saved. */
const Turn = z.object({ userMessage: Message.nullable(), assistantMessage: Message.nullable() })

export const chatMethods = {
  'chat.thread': method(z.object({ sessionId: SessionId }), Thread),
  /** Starts an answer; tokens arrive as chat.token events, the end as chat.finished. */
  'chat.send': method(
    z.object({
      sessionId: SessionId,
      text: z.string().min(1).max(1_000_000),
      sampling: SamplingSettings.partial().optional(),
    }),
    Turn,
  ),
  /** Stops the answer being generated; what was generated is kept. */
  'chat.stop': method(z.object({ sessionId: SessionId }), z.object({ stopped: z.boolean() })),
  /** A new answer to the same user message; the old one stays as an alternative. */
  'chat.regenerate': method(
    z.object({
      sessionId: SessionId,
      messageId: MessageId,
      sampling: SamplingSettings.partial().optional(),
    }),
    Turn,
  ),
  /** Sends an edited user message; the old one and its answers stay as another branch. */
  'chat.edit': method(
    z.object({
      sessionId: SessionId,
      messageId: MessageId,
      text: z.string().min(1).max(1_000_000),
      sampling: SamplingSettings.partial().optional(),
    }),
    Turn,
  ),
  /** Shows another alternative (and the newest path below it). */
  'chat.selectBranch': method(z.object({ sessionId: SessionId, messageId: MessageId }), Thread),
  'chat.getSettings': method(z.object({ sessionId: SessionId }), ChatSettings),
  'chat.updateSettings': method(
    z.object({ sessionId: SessionId, patch: ChatSettingsPatch }),
    ChatSettings,
  ),
  /** Per-token ids, log-probabilities and top-5 alternatives of a generated message. */
  'chat.tokens': method(
    z.object({ messageId: MessageId }),
    z.object({ tokens: z.array(ChatToken.omit({ sessionId: true, messageId: true })) }),
  ),
}

export const chatEvents = {
  'chat.started': z.object({
    sessionId: SessionId,
    messageId: MessageId,
    promptTokens: z.number().int().nonnegative(),
    reusedTokens: z.number().int().nonnegative(),
    /** Oldest turns left out so the conversation fits the context; the UI says so. */
    droppedTurns: z.number().int().nonnegative(),
  }),
  'chat.token': ChatToken,
  'chat.finished': z.object({
    sessionId: SessionId,
    message: Message,
    finishReason: z.enum(['eos', 'length', 'stop', 'cancelled', 'error']),
  }),
}
