// The prompt a turn sends to the model: the chat template over the session's turns (or the
// raw text in completion mode), cut from the oldest end so that prompt + answer fit.
import { ApiError } from '../../contract/define'
import type { ChatModel, ChatTurn, GenerateRequest } from './types'

export interface BuiltPrompt {
  ids: number[]
  droppedTurns: number
  /** max tokens, lowered when the context cannot hold the requested amount. */
  maxTokens: number
}

/** Leave at least this much room for the answer when the caller asked for more than fits. */
const minAnswerTokens = 16

export function buildPrompt(model: ChatModel, req: GenerateRequest): BuiltPrompt {
  const ctx = model.contextLength
  // An answer budget of more than half the context would leave no room for the conversation.
  const maxTokens = Math.max(1, Math.min(req.params.maxTokens, Math.floor(ctx / 2)))
  const budget = ctx - maxTokens
  if (req.promptIds) {
    const dropped = Math.max(0, req.promptIds.length - budget)
    return { ids: req.promptIds.slice(dropped), droppedTurns: dropped > 0 ? 1 : 0, maxTokens }
  }
  if (req.mode === 'completion' || !model.hasChatTemplate) {
    const text = req.turns.map((t) => t.content).join('')
    const ids = model.encode(req.systemPrompt + text, true)
    // A base model continues text: keep its most recent part.
    if (req.truncate === false) return whole(ids, ctx, req.params.maxTokens)
    const dropped = Math.max(0, ids.length - budget)
    return { ids: ids.slice(dropped), droppedTurns: dropped > 0 ? 1 : 0, maxTokens }
  }

  const render = (turns: ChatTurn[]): number[] => {
    const all: ChatTurn[] = req.systemPrompt
      ? [{ role: 'system', content: req.systemPrompt }, ...turns]
      : turns
    // Templates add BOS themselves; encoding adds no special tokens (as HF's
    // apply_chat_template does).
    return model.encode(
      model.renderChat(all, {
        addGenerationPrompt: true,
        tools: req.tools,
        thinking: req.thinking,
      }),
      false,
    )
  }
  const turns = req.turns.filter((t) => t.role !== 'system')
  // Starting points that begin with a user turn, oldest first; the last turn always stays.
  const starts = turns.map((t, i) => i).filter((i) => turns[i].role === 'user' || i === 0)
  const fits = (start: number) => render(turns.slice(start)).length <= budget
  let ids = render(turns)
  if (req.truncate === false) return whole(ids, ctx, req.params.maxTokens)
  if (ids.length <= budget) return { ids, droppedTurns: 0, maxTokens }
  // Fewer tokens the more we drop: binary search the first start that fits.
  let lo = 1
  let hi = starts.length - 1
  let found = -1
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    if (fits(starts[mid])) {
      found = mid
      hi = mid - 1
    } else lo = mid + 1
  }
  if (found < 0) {
    const last = render(turns.slice(starts[starts.length - 1]))
    if (last.length + minAnswerTokens > ctx) {
      throw new ApiError(
        'bad_request',
        `The message is ${last.length} tokens long with its template; this model's context holds ${ctx}. Shorten it or start a new chat.`,
      )
    }
    return {
      ids: last,
      droppedTurns: starts[starts.length - 1],
      maxTokens: Math.min(maxTokens, ctx - last.length),
    }
  }
  ids = render(turns.slice(starts[found]))
  return { ids, droppedTurns: starts[found], maxTokens }
}

/**
 * The whole prompt, never cut (the API's requests): the answer gets what the context has
 * left, up to what was asked; a prompt that leaves no room is an error with both numbers.
 */
function whole(ids: number[], ctx: number, asked: number): BuiltPrompt {
  if (ids.length + Math.min(asked, minAnswerTokens) > ctx) {
    throw new ApiError(
      'bad_request',
      `The prompt is ${ids.length} tokens; this model's context holds ${ctx} tokens, with room needed for the answer.`,
    )
  }
  return { ids, droppedTurns: 0, maxTokens: Math.max(1, Math.min(asked, ctx - ids.length)) }
}
