// tokenizer.json via @huggingface/tokenizers; chat templates via @huggingface/jinja.
import { Template } from '@huggingface/jinja'
import { Tokenizer } from '@huggingface/tokenizers'
import type { ChatMessage, ChatRenderOptions, TextTokenizer } from '../runtime/types'

type Json = Record<string, unknown>

/** tokenizer_config.json names tokens as strings or as {content: ...} objects. */
export function tokenContent(v: unknown): string | undefined {
  if (typeof v === 'string') return v
  if (v && typeof v === 'object' && typeof (v as Json).content === 'string')
    return (v as Json).content as string
  return undefined
}

export class HfTextTokenizer implements TextTokenizer {
  private readonly tok: Tokenizer
  readonly vocabSize: number
  private readonly idToTokenMap = new Map<number, string>()
  private readonly tokenToIdMap = new Map<string, number>()

  constructor(
    tokenizerJson: Json,
    readonly config: Json,
  ) {
    this.tok = new Tokenizer(tokenizerJson, config)
    const model = tokenizerJson.model as { vocab?: Record<string, number> | [string, number][] }
    const vocab = model?.vocab ?? {}
    const entries: [string, number][] = Array.isArray(vocab)
      ? vocab.map(([t], i) => [t, i])
      : Object.entries(vocab)
    for (const [t, id] of entries) {
      this.idToTokenMap.set(id, t)
      this.tokenToIdMap.set(t, id)
    }
    for (const t of (tokenizerJson.added_tokens as { id: number; content: string }[]) ?? []) {
      this.idToTokenMap.set(t.id, t.content)
      this.tokenToIdMap.set(t.content, t.id)
    }
    let max = -1
    for (const id of this.idToTokenMap.keys()) max = Math.max(max, id)
    this.vocabSize = max + 1
  }

  /**
   * With special tokens, BOS/EOS follow tokenizer.json's post-processor, and also
   * tokenizer_config.json's add_bos_token / add_eos_token as transformers' Llama tokenizers
   * honour them when the post-processor does not add them itself.
   */
  encode(text: string, opts: { addSpecialTokens?: boolean } = {}): number[] {
    const special = opts.addSpecialTokens ?? true
    const ids = this.tok.encode(text, { add_special_tokens: special }).ids
    if (!special) return ids
    const bos = this.specialId('bos_token')
    const eos = this.specialId('eos_token')
    if (this.config.add_bos_token === true && bos !== undefined && ids[0] !== bos) ids.unshift(bos)
    if (this.config.add_eos_token === true && eos !== undefined && ids[ids.length - 1] !== eos)
      ids.push(eos)
    return ids
  }

  private specialId(key: string): number | undefined {
    const content = tokenContent(this.config[key])
    return content === undefined ? undefined : this.tokenToIdMap.get(content)
  }
  decode(ids: number[], opts: { skipSpecialTokens?: boolean } = {}): string {
    return this.tok.decode(ids, {
      skip_special_tokens: opts.skipSpecialTokens ?? false,
      clean_up_tokenization_spaces: false,
    })
  }
  idToToken(id: number): string {
    return this.idToTokenMap.get(id) ?? `<${id}>`
  }
  tokenToId(token: string): number | undefined {
    return this.tokenToIdMap.get(token)
  }
}

/**
 * Renders a conversation with the model's chat template, or a plain "Role: text" fallback for
 * models that have none. As HF's apply_chat_template, the rendered text is then encoded
 * without adding special tokens (the template already places BOS where the model wants it).
 */
export class ChatRenderer {
  private readonly template: Template | null
  constructor(private readonly config: Json) {
    const raw = config.chat_template
    let source: string | undefined
    if (typeof raw === 'string') source = raw
    else if (Array.isArray(raw))
      source = (raw.find((t: Json) => t.name === 'default') as Json | undefined)?.template as string
    this.template = source ? new Template(source) : null
  }

  get hasTemplate(): boolean {
    return this.template !== null
  }

  render(messages: ChatMessage[], opts: ChatRenderOptions): string {
    if (!this.template) {
      const lines = messages.map(
        (m) => `${m.role[0].toUpperCase()}${m.role.slice(1)}: ${m.content}`,
      )
      return lines.join('\n') + (opts.addGenerationPrompt ? '\nAssistant:' : '')
    }
    return this.template.render({
      messages,
      add_generation_prompt: opts.addGenerationPrompt,
      // Templates test `if tools`: an empty list would still print the tools preamble.
      ...(opts.tools?.length ? { tools: opts.tools } : {}),
      ...(opts.thinking !== undefined ? { enable_thinking: opts.thinking } : {}),
      bos_token: tokenContent(this.config.bos_token) ?? '',
      eos_token: tokenContent(this.config.eos_token) ?? '',
      pad_token: tokenContent(this.config.pad_token) ?? '',
      unk_token: tokenContent(this.config.unk_token) ?? '',
    })
  }
}
