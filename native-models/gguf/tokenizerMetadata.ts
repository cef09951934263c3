// tokenizer.ggml.* keys from a Hugging Face tokenizer.json, as llama.cpp's
// convert_hf_to_gguf.py writes them: for byte-level BPE vocabularies (GPT-2, Llama 3,
// Qwen2, SmolLM) tokens by id, token types, merges as "a b" strings, special ids; for
// SentencePiece ones (BPE with byte fallback over "▁": Gemma, Llama 2, Phi-3-mini) the
// "llama" model's tokens, scores and types.

import { gguf, type GgufValue } from './ggufWriter'

/** llama_token_type (gguf-py TokenType). */
export enum TokenType {
  NORMAL = 1,
  UNKNOWN = 2,
  CONTROL = 3,
  USER_DEFINED = 4,
  UNUSED = 5,
  BYTE = 6,
}

export interface HfTokenizerJson {
  model: {
    type: string
    vocab: Record<string, number>
    merges?: (string | [string, string])[]
    byte_fallback?: boolean
  }
  added_tokens?: { id: number; content: string; special: boolean }[]
  normalizer?: unknown
  pre_tokenizer?: unknown
  post_processor?: unknown
}

// The split regexes of the tokenizers llama.cpp knows by name (llama-vocab.cpp pre types).
const LLAMA3_REGEX =
  "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"
const QWEN2_REGEX =
  "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"

interface PreTokenizer {
  type?: string
  pretokenizers?: PreTokenizer[]
  pattern?: { Regex?: string }
  individual_digits?: boolean
  use_regex?: boolean
}

/**
 * tokenizer.ggml.pre: llama.cpp picks its pre-tokenizer regex by this name. convert_hf_to_gguf
 * identifies it by hashing a tokenization; we read the same information from the JSON.
 */
export function detectPreTokenizer(preTokenizer: unknown): string {
  const root = (preTokenizer ?? {}) as PreTokenizer
  const parts = root.type === 'Sequence' ? (root.pretokenizers ?? []) : [root]
  const regex = parts.find((p) => p.type === 'Split')?.pattern?.Regex
  if (regex === LLAMA3_REGEX) return 'llama-bpe'
  if (regex === QWEN2_REGEX) return 'qwen2'
  const digits = parts.find((p) => p.type === 'Digits')
  const byteLevel = parts.find((p) => p.type === 'ByteLevel')
  if (digits?.individual_digits && byteLevel) return 'smollm'
  if (!regex && byteLevel && byteLevel.use_regex !== false) return 'gpt-2'
  return 'default'
}

export interface SpecialTokens {
  bos?: number
  eos?: number
  pad?: number
  unk?: number
  addBos?: boolean
}

/**
 * @param vocabRows rows of the embedding matrix: llama.cpp requires exactly that many
 * tokens, so a shorter vocabulary is padded with unused [PADn] tokens (as convert does)
 * and a longer one is cut, dropping merges whose result no longer exists.
 */
export function tokenizerMetadata(
  tokenizer: HfTokenizerJson,
  vocabRows: number,
  special: SpecialTokens,
  chatTemplate?: string,
): [string, GgufValue][] {
  if (tokenizer.model.type === 'BPE' && tokenizer.model.byte_fallback) {
    return [
      ...sentencePieceMetadata(tokenizer, vocabRows),
      ...specialMetadata(vocabRows, special, chatTemplate),
    ]
  }
  if (tokenizer.model.type !== 'BPE') {
    throw new Error(
      'GGUF export supports BPE tokenizers (byte-level: GPT-2, Llama 3, Qwen2, SmolLM; ' +
        `SentencePiece with byte fallback: Gemma, Llama 2, Phi-3); this one is ${tokenizer.model.type}`,
    )
  }
  const tokens: string[] = new Array(vocabRows)
  const types: number[] = new Array(vocabRows).fill(TokenType.NORMAL)
  for (const [text, id] of Object.entries(tokenizer.model.vocab)) {
    if (id < vocabRows) tokens[id] = text
  }
  for (const added of tokenizer.added_tokens ?? []) {
    if (added.id >= vocabRows) continue
    tokens[added.id] = added.content
    types[added.id] = added.special ? TokenType.CONTROL : TokenType.USER_DEFINED
  }
  for (let id = 0; id < vocabRows; id++) {
    if (tokens[id] === undefined) {
      tokens[id] = `[PAD${id}]`
      types[id] = TokenType.UNUSED
    }
  }
  const kept = new Set(tokens)
  const merges: string[] = []
  for (const merge of tokenizer.model.merges ?? []) {
    const [a, b] = typeof merge === 'string' ? splitMerge(merge) : merge
    if (kept.has(a) && kept.has(b) && kept.has(a + b)) merges.push(`${a} ${b}`)
  }

  return [
    ['tokenizer.ggml.model', gguf.str('gpt2')],
    ['tokenizer.ggml.pre', gguf.str(detectPreTokenizer(tokenizer.pre_tokenizer))],
    ['tokenizer.ggml.tokens', gguf.strings(tokens)],
    ['tokenizer.ggml.token_type', gguf.i32s(types)],
    ['tokenizer.ggml.merges', gguf.strings(merges)],
    ...specialMetadata(vocabRows, special, chatTemplate),
  ]
}

function specialMetadata(
  vocabRows: number,
  special: SpecialTokens,
  chatTemplate?: string,
): [string, GgufValue][] {
  const out: [string, GgufValue][] = []
  const ids: [keyof SpecialTokens, string][] = [
    ['bos', 'bos_token_id'],
    ['eos', 'eos_token_id'],
    ['unk', 'unknown_token_id'],
    ['pad', 'padding_token_id'],
  ]
  for (const [field, key] of ids) {
    const id = special[field]
    if (typeof id === 'number' && id >= 0 && id < vocabRows) {
      out.push([`tokenizer.ggml.${key}`, gguf.u32(id)])
    }
  }
  if (special.addBos !== undefined) {
    out.push(['tokenizer.ggml.add_bos_token', gguf.bool(special.addBos)])
  }
  if (chatTemplate) out.push(['tokenizer.chat_template', gguf.str(chatTemplate)])
  return out
}

/** "a b" → [a, b]; byte-level tokens never contain a plain space (it is Ġ), so one split. */
function splitMerge(merge: string): [string, string] {
  const at = merge.indexOf(' ', 1)
  return [merge.slice(0, at), merge.slice(at + 1)]
}

interface Normalizer {
  type?: string
  normalizers?: Normalizer[]
  prepend?: string
  prepend_scheme?: string
  add_prefix_space?: boolean
}

/** Whether the tokenizer puts "▁" before the text: a Prepend normalizer or a Metaspace that prepends. */
function addsSpacePrefix(tokenizer: HfTokenizerJson): boolean {
  const flat = (n: unknown): Normalizer[] => {
    const x = (n ?? {}) as Normalizer
    return x.type === 'Sequence' ? (x.normalizers ?? []).flatMap(flat) : [x]
  }
  const steps = [...flat(tokenizer.normalizer), ...flat(tokenizer.pre_tokenizer)]
  return steps.some(
    (n) =>
      (n.type === 'Prepend' && n.prepend === '▁') ||
      (n.type === 'Metaspace' &&
        (n.prepend_scheme ? n.prepend_scheme !== 'never' : n.add_prefix_space !== false)),
  )
}

/**
 * A SentencePiece vocabulary as the converter writes it from tokenizer.model. Without that
 * file the scores come from the merges, which transformers made from the scores: a piece
 * scores minus the rank of the first merge that makes it (llama.cpp merges the pair whose
 * result scores highest, so the order is the same), pieces no merge makes below all, by id.
 */
function sentencePieceMetadata(
  tokenizer: HfTokenizerJson,
  vocabRows: number,
): [string, GgufValue][] {
  const tokens: string[] = new Array(vocabRows)
  const types: number[] = new Array(vocabRows).fill(TokenType.NORMAL)
  for (const [text, id] of Object.entries(tokenizer.model.vocab)) {
    if (id >= vocabRows) continue
    tokens[id] = text
    if (/^<0x[0-9A-F]{2}>$/.test(text)) types[id] = TokenType.BYTE
  }
  for (const added of tokenizer.added_tokens ?? []) {
    if (added.id >= vocabRows) continue
    tokens[added.id] = added.content
    types[added.id] = added.special ? TokenType.CONTROL : TokenType.USER_DEFINED
  }
  const unk = (tokenizer.model as { unk_token?: string | null }).unk_token
  const rank = new Map<string, number>()
  ;(tokenizer.model.merges ?? []).forEach((m, r) => {
    const piece = typeof m === 'string' ? m.replace(' ', '') : m.join('')
    if (!rank.has(piece)) rank.set(piece, r)
  })
  const scores = new Array<number>(vocabRows)
  for (let id = 0; id < vocabRows; id++) {
    if (tokens[id] === undefined) {
      tokens[id] = `[PAD${id}]`
      types[id] = TokenType.UNUSED
    }
    if (tokens[id] === unk) types[id] = TokenType.UNKNOWN
    // Stays exact in float32 (the scores' type in the file), so no two pieces tie.
    const unmerged = (tokenizer.model.merges?.length ?? 0) + id
    scores[id] = types[id] === TokenType.NORMAL ? -(rank.get(tokens[id]) ?? unmerged) : 0
  }
  return [
    ['tokenizer.ggml.model', gguf.str('llama')],
    ['tokenizer.ggml.tokens', gguf.strings(tokens)],
    ['tokenizer.ggml.scores', gguf.f32s(scores)],
    ['tokenizer.ggml.token_type', gguf.i32s(types)],
    ['tokenizer.ggml.add_space_prefix', gguf.bool(addsSpacePrefix(tokenizer))],
  ]
}
