// OpenAI's shapes to the engine's and back, field by field: the pure half of the adapter.
import type { ChatMessageIn, ResponseFormat, Tool, ToolChoice } from '../../contract/openai'
import { ApiError } from '../../contract/define'
import type { ModelEntry } from '../../contract/models'
import type { EngineModelRef } from '../engine/engine'
import { compileSchema } from '../engine/jsonGrammar'
import type { ChatTurn, FinishReason, GeneratedToken, GenerateRequest } from '../engine/types'

/** The legacy format keys alternatives by text: two tokens with one text keep the likelier. */
export function topByText(top: GeneratedToken['top']): Record<string, number> {
  const out: Record<string, number> = {}
  for (const a of top) if (!(a.text in out)) out[a.text] = a.logprob
  return out
}

export function refOf(model: ModelEntry): EngineModelRef {
  return { id: model.id, name: model.name, path: model.path, quantization: model.quantization }
}

/** OpenAI's message as the chat template reads it: tool calls with their arguments. */
export function turnOf(m: ChatMessageIn, all: ChatMessageIn[]): ChatTurn {
  const turn: ChatTurn = { role: m.role as ChatTurn['role'], content: textOf(m.content) }
  if (m.tool_calls?.length) {
    turn.tool_calls = m.tool_calls.map((c) => ({
      id: c.id,
      type: 'function',
      function: { name: c.function.name, arguments: c.function.arguments },
    }))
  }
  if (m.role === 'tool' && m.tool_call_id) {
    turn.tool_call_id = m.tool_call_id
    // Some templates print the tool's name with its result: the call it answers has it.
    const call = all.flatMap((x) => x.tool_calls ?? []).find((c) => c.id === m.tool_call_id)
    if (m.name || call) turn.name = m.name ?? call?.function.name
  }
  return turn
}

/**
 * tool_choice "required" or a named function: the answer is decoded under the schema of
 * {"name", "arguments"} for the allowed tools, so it is always a call that parses (as vLLM's
 * guided tool choice). "auto" leaves the model free and parses what it writes.
 */
export function forcedToolSchema(tools: Tool[], choice: ToolChoice): object | null {
  if (choice === 'none' || choice === 'auto') return null
  if (tools.length === 0) {
    throw new ApiError('bad_request', 'tool_choice asks for a tool call but tools is empty.')
  }
  const allowed =
    choice === 'required' ? tools : tools.filter((t) => t.function.name === choice.function.name)
  if (allowed.length === 0 && typeof choice === 'object') {
    throw new ApiError(
      'bad_request',
      `tool_choice names "${choice.function.name}", which is not among the tools.`,
    )
  }
  // One tool: its parameters' schema holds the arguments. Several: the grammar picks an
  // alternative by its first character, so the name is constrained and the arguments are
  // any object.
  const only = allowed.length === 1 ? allowed[0] : null
  const schema = {
    type: 'object',
    properties: {
      name: { enum: allowed.map((t) => t.function.name) },
      arguments: only?.function.parameters ?? { type: 'object' },
    },
    required: ['name', 'arguments'],
  }
  compileSchema(schema, 'tools[].function.parameters')
  return schema
}

export function textOf(content: ChatMessageIn['content']): string {
  if (content === null || content === undefined) return ''
  return typeof content === 'string' ? content : content.map((p) => p.text).join('')
}

export function jsonConstraintOf(
  format: ResponseFormat | null | undefined,
): GenerateRequest['json'] {
  if (!format || format.type === 'text') return undefined
  const schema = format.type === 'json_object' ? null : (format.json_schema.schema ?? null)
  // A schema the mask cannot enforce is refused before the request waits in the queue.
  compileSchema(schema, 'response_format.json_schema.schema')
  return { schema }
}

export function finishReasonOf(reason: FinishReason): 'stop' | 'length' {
  return reason === 'length' ? 'length' : 'stop'
}

export function usageOf(stats: { promptTokens: number; completionTokens: number }) {
  return {
    prompt_tokens: stats.promptTokens,
    completion_tokens: stats.completionTokens,
    total_tokens: stats.promptTokens + stats.completionTokens,
  }
}

export function textChunk(
  base: object,
  index: number,
  text: string,
  finish: string | null,
): object {
  return {
    ...base,
    object: 'text_completion',
    choices: [{ index, text, logprobs: null, finish_reason: finish }],
  }
}
