// Tool calls in a model's answer, in the formats the chat templates teach: Qwen and Hermes
// wrap a JSON object in <tool_call>…</tool_call>; Llama 3.x answers with a bare JSON object
// {"name", "parameters"}. Only calls to a tool the request offered count.

export interface ParsedToolCall {
  name: string
  /** The arguments as a JSON text, as OpenAI's tool_calls carry them. */
  arguments: string
}

export interface ParsedAnswer {
  /** The text outside the calls; null when there is none. */
  content: string | null
  calls: ParsedToolCall[]
}

const hermesCall = /<tool_call>\s*([\s\S]*?)\s*<\/tool_call>/g

export function parseToolCalls(text: string, toolNames: readonly string[]): ParsedAnswer {
  const known = new Set(toolNames)
  const calls: ParsedToolCall[] = []
  const rest = text.replace(hermesCall, (whole, body: string) => {
    const call = callOf(body, known)
    if (!call) return whole
    calls.push(call)
    return ''
  })
  if (calls.length === 0) {
    // Llama 3.x: the whole answer is one call (after <|python_tag|>, which decoding drops).
    const call = callOf(text.trim(), known)
    if (call) return { content: null, calls: [call] }
  }
  const content = rest.trim()
  return { content: content.length > 0 ? content : calls.length ? null : text, calls }
}

/** {"name": …, "arguments" | "parameters": {…}} naming a known tool, or null. */
export function callOf(json: string, known: ReadonlySet<string>): ParsedToolCall | null {
  let value: unknown
  try {
    value = JSON.parse(json)
  } catch {
    return null
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null
  const { name, arguments: args, parameters } = value as Record<string, unknown>
  if (typeof name !== 'string' || !known.has(name)) return null
  const given = args ?? parameters ?? {}
  return { name, arguments: typeof given === 'string' ? given : JSON.stringify(given) }
}
