// The OpenAI-compatible API's requests, field for field as OpenAI documents them (unknown
// fields pass, as clients send some we ignore), and its error object.
import { z } from 'zod'

const Stop = z.union([z.string(), z.array(z.string()).max(4)]).nullish()

const Sampling = {
  model: z.string().min(1),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().gt(0).max(1).nullish(),
  max_tokens: z.number().int().positive().nullish(),
  stop: Stop,
  seed: z.number().int().nullish(),
  presence_penalty: z.number().min(-2).max(2).nullish(),
  frequency_penalty: z.number().min(-2).max(2).nullish(),
  logit_bias: z.record(z.string().regex(/^\d+$/), z.number().min(-100).max(100)).nullish(),
  n: z.literal(1, { message: 'only n = 1 is supported' }).nullish(),
  stream: z.boolean().nullish(),
  stream_options: z.object({ include_usage: z.boolean().optional() }).nullish(),
}

const TextPart = z.object({ type: z.literal('text'), text: z.string() })
const Content = z.union([z.string(), z.array(TextPart)]).nullish()

export const ToolCallIn = z.object({
  id: z.string(),
  type: z.literal('function'),
  function: z.object({ name: z.string(), arguments: z.string() }),
})

export const ChatMessageIn = z.object({
  role: z.enum(['system', 'developer', 'user', 'assistant', 'tool']),
  content: Content,
  tool_calls: z.array(ToolCallIn).nullish(),
  tool_call_id: z.string().nullish(),
  name: z.string().nullish(),
})
export type ChatMessageIn = z.infer<typeof ChatMessageIn>

export const ResponseFormat = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text') }),
  z.object({ type: z.literal('json_object') }),
  z.object({
    type: z.literal('json_schema'),
    json_schema: z.object({
      name: z.string(),
      schema: z.record(z.string(), z.unknown()).optional(),
      strict: z.boolean().nullish(),
    }),
  }),
])
export type ResponseFormat = z.infer<typeof ResponseFormat>

export const Tool = z.object({
  type: z.literal('function'),
  function: z.object({
    name: z.string().min(1),
    description: z.string().optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
    strict: z.boolean().nullish(),
  }),
})
export type Tool = z.infer<typeof Tool>

export const ToolChoice = z.union([
  z.enum(['none', 'auto', 'required']),
  z.object({ type: z.literal('function'), function: z.object({ name: z.string() }) }),
])
export type ToolChoice = z.infer<typeof ToolChoice>

export const ChatCompletionRequest = z.object({
  ...Sampling,
  messages: z.array(ChatMessageIn).min(1),
  max_completion_tokens: z.number().int().positive().nullish(),
  logprobs: z.boolean().nullish(),
  top_logprobs: z.number().int().min(0).max(20).nullish(),
  response_format: ResponseFormat.nullish(),
  tools: z.array(Tool).nullish(),
  tool_choice: ToolChoice.nullish(),
  /** Extra chat template variables, as vLLM takes them; Glassbox reads enable_thinking. */
  chat_template_kwargs: z.object({ enable_thinking: z.boolean().optional() }).nullish(),
})
export type ChatCompletionRequest = z.infer<typeof ChatCompletionRequest>

export const CompletionRequest = z.object({
  ...Sampling,
  prompt: z.union([z.string(), z.array(z.string()).min(1)]),
  logprobs: z.number().int().min(0).max(5).nullish(),
  echo: z.boolean().nullish(),
})
export type CompletionRequest = z.infer<typeof CompletionRequest>

export const EmbeddingRequest = z.object({
  model: z.string().min(1),
  input: z.union([z.string(), z.array(z.string()).min(1)]),
  encoding_format: z.enum(['float', 'base64']).nullish(),
})
export type EmbeddingRequest = z.infer<typeof EmbeddingRequest>

export interface OpenAiErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null }
}
