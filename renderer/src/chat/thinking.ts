// Reasoning models (Qwen3, DeepSeek-R1 distills) write their reasoning in a <think> block
// before the answer; some templates open the block themselves, so only </think> shows.

export interface SplitAnswer {
  /** The reasoning, or null when the text has none. */
  thinking: string | null
  answer: string
  /** Still thinking: the block is not closed yet (while streaming). */
  open: boolean
}

export function splitThinking(text: string): SplitAnswer {
  const start = text.match(/^\s*<think>/)
  const end = text.indexOf('</think>')
  if (!start && end < 0) return { thinking: null, answer: text, open: false }
  const from = start ? start[0].length : 0
  if (end < 0) return { thinking: text.slice(from).trim(), answer: '', open: true }
  return {
    thinking: text.slice(from, end).trim(),
    answer: text.slice(end + '</think>'.length).replace(/^\s+/, ''),
    open: false,
  }
}
