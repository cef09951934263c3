// tokenizer.ggml.* → the tokenizer.json and tokenizer_config.json that @huggingface/tokenizers
// and our chat renderer read, the inverse of what convert_hf_to_gguf.py writes:
// - model "gpt2": byte-level BPE (GPT-2, Llama 3, Qwen2, SmolLM); tokenizer.ggml.pre names
//   the split regex (llama-vocab.cpp's pre types), merges are "a b" strings.
// - model "llama": SentencePiece, as transformers' LlamaConverter expresses it in
//   tokenizer.json: BPE with byte fallback over "▁"-prefixed text, merges recovered from the
//   vocabulary (SentencePieceExtractor's rule: every split of a piece into two pieces, ordered
//   by the merged piece's score).

import { GgufFormatError } from './ggufReader'
import type { GgufScalar } from './ggufWriter'
import { TokenType } from './tokenizerMetadata'

type Json = Record<string, unknown>
type Metadata = Map<string, GgufScalar | GgufScalar[]>

const LLAMA3_REGEX =
  "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"
const QWEN2_REGEX =
  "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"

export const SUPPORTED_TOKENIZER_MODELS = ['gpt2', 'llama']
const SUPPORTED_PRE = ['default', 'gpt-2', 'llama-bpe', 'llama3', 'qwen2', 'smollm']

function byteLevelPre(pre: string): Json {
  const byteLevel = (useRegex: boolean) => ({
    type: 'ByteLevel',
    add_prefix_space: false,
    trim_offsets: true,
    use_regex: useRegex,
  })
  const split = (regex: string) => ({
    type: 'Split',
    pattern: { Regex: regex },
    behavior: 'Isolated',
    invert: false,
  })
  if (pre === 'llama-bpe' || pre === 'llama3') {
    return { type: 'Sequence', pretokenizers: [split(LLAMA3_REGEX), byteLevel(false)] }
  }
  if (pre === 'qwen2') {
    return { type: 'Sequence', pretokenizers: [split(QWEN2_REGEX), byteLevel(false)] }
  }
  if (pre === 'smollm') {
    return {
      type: 'Sequence',
      pretokenizers: [{ type: 'Digits', individual_digits: true }, byteLevel(true)],
    }
  }
  return byteLevel(true)
}

export interface GgufTokenizer {
  tokenizerJson: Json
  tokenizerConfig: Json
  /** Tokens in the vocabulary (tokenizer.ggml.tokens' length). */
  size: number
}

const strings = (v: unknown): string[] | undefined =>
  Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined

/**
 * @param file for error messages: the problems here are the file's.
 * Returns undefined for a file without a vocabulary (tokenizer.ggml.model "no_vocab" or absent).
 */
export function ggufTokenizer(meta: Metadata): GgufTokenizer | undefined {
  const model = meta.get('tokenizer.ggml.model')
  if (model === undefined || model === 'no_vocab' || model === 'none') return undefined
  if (typeof model !== 'string' || !SUPPORTED_TOKENIZER_MODELS.includes(model)) {
    throw new GgufFormatError(
      `tokenizer.ggml.model "${String(model)}" is not supported (supported: ${SUPPORTED_TOKENIZER_MODELS.join(', ')})`,
    )
  }
  const tokens = strings(meta.get('tokenizer.ggml.tokens'))
  if (!tokens) throw new GgufFormatError('has no tokenizer.ggml.tokens string array')
  const rawTypes = meta.get('tokenizer.ggml.token_type')
  const types = Array.isArray(rawTypes) ? rawTypes.map(Number) : []
  const typeOf = (id: number) => types[id] ?? TokenType.NORMAL
  const special = (key: string): string | undefined => {
    const id = meta.get(`tokenizer.ggml.${key}`)
    return typeof id === 'number' && id >= 0 && id < tokens.length ? tokens[id] : undefined
  }

  const vocab: Record<string, number> = {}
  const addedTokens: Json[] = []
  for (let id = 0; id < tokens.length; id++) {
    const t = typeOf(id)
    if (t === TokenType.CONTROL || t === TokenType.USER_DEFINED || t === TokenType.UNKNOWN) {
      addedTokens.push({
        id,
        content: tokens[id],
        single_word: false,
        lstrip: false,
        rstrip: false,
        normalized: t === TokenType.USER_DEFINED && model === 'llama',
        special: t !== TokenType.USER_DEFINED,
      })
    }
    // A duplicate token text keeps its first id (tokenizers' vocab is a map).
    if (!(tokens[id] in vocab)) vocab[tokens[id]] = id
  }

  let tokenizerJson: Json
  if (model === 'gpt2') {
    const pre = String(meta.get('tokenizer.ggml.pre') ?? 'default')
    if (!SUPPORTED_PRE.includes(pre)) {
      throw new GgufFormatError(
        `tokenizer.ggml.pre "${pre}" is not supported (supported: ${SUPPORTED_PRE.join(', ')})`,
      )
    }
    const merges = strings(meta.get('tokenizer.ggml.merges'))
    if (!merges) throw new GgufFormatError('has a gpt2 tokenizer without tokenizer.ggml.merges')
    tokenizerJson = {
      version: '1.0',
      truncation: null,
      padding: null,
      added_tokens: addedTokens,
      normalizer: null,
      pre_tokenizer: byteLevelPre(pre),
      post_processor: null,
      decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
      model: {
        type: 'BPE',
        dropout: null,
        unk_token: null,
        continuing_subword_prefix: null,
        end_of_word_suffix: null,
        fuse_unk: false,
        byte_fallback: false,
        // Llama 3's tokenizer.json sets it: a word already in the vocabulary is one token.
        ignore_merges: pre === 'llama-bpe' || pre === 'llama3',
        vocab,
        merges,
      },
    }
  } else {
    const scores = meta.get('tokenizer.ggml.scores')
    const score = (id: number) => (Array.isArray(scores) ? Number(scores[id]) : -id)
    // llama.cpp prefixes the text with a space unless the file says not to (Gemma's
    // converter writes add_space_prefix false), and then drops that space when decoding.
    const spacePrefix = meta.get('tokenizer.ggml.add_space_prefix') !== false
    const replace = { type: 'Replace', pattern: { String: ' ' }, content: '▁' }
    tokenizerJson = {
      version: '1.0',
      truncation: null,
      padding: null,
      added_tokens: addedTokens,
      normalizer: spacePrefix
        ? { type: 'Sequence', normalizers: [{ type: 'Prepend', prepend: '▁' }, replace] }
        : replace,
      pre_tokenizer: null,
      post_processor: null,
      decoder: {
        type: 'Sequence',
        decoders: [
          { type: 'Replace', pattern: { String: '▁' }, content: ' ' },
          { type: 'ByteFallback' },
          { type: 'Fuse' },
          ...(spacePrefix ? [{ type: 'Strip', content: ' ', start: 1, stop: 0 }] : []),
        ],
      },
      model: {
        type: 'BPE',
        dropout: null,
        unk_token: special('unknown_token_id') ?? null,
        continuing_subword_prefix: null,
        end_of_word_suffix: null,
        fuse_unk: true,
        byte_fallback: true,
        ignore_merges: false,
        vocab,
        merges: sentencePieceMerges(tokens, typeOf, score),
      },
    }
  }

  const addBos = meta.get('tokenizer.ggml.add_bos_token')
  const addEos = meta.get('tokenizer.ggml.add_eos_token')
  const tokenizerConfig: Json = {
    // llama.cpp adds BOS for SentencePiece vocabularies unless told otherwise.
    add_bos_token: typeof addBos === 'boolean' ? addBos : model === 'llama',
    add_eos_token: typeof addEos === 'boolean' ? addEos : false,
  }
  const names: [string, string][] = [
    ['bos_token', 'bos_token_id'],
    ['eos_token', 'eos_token_id'],
    ['unk_token', 'unknown_token_id'],
    ['pad_token', 'padding_token_id'],
  ]
  for (const [field, key] of names) {
    const text = special(key)
    if (text !== undefined) tokenizerConfig[field] = text
  }
  const template = meta.get('tokenizer.chat_template')
  if (typeof template === 'string') tokenizerConfig.chat_template = template
  return { tokenizerJson, tokenizerConfig, size: tokens.length }
}

/** Merges for a SentencePiece vocabulary: (left, right) for every piece both halves exist for. */
function sentencePieceMerges(
  tokens: string[],
  typeOf: (id: number) => number,
  score: (id: number) => number,
): [string, string][] {
  const normal = new Map<string, number>()
  tokens.forEach((t, id) => {
    if (typeOf(id) === TokenType.NORMAL && !normal.has(t)) normal.set(t, id)
  })
  const merges: { pair: [string, string]; rank: number; left: number; right: number }[] = []
  for (const [piece, id] of normal) {
    const chars = [...piece]
    for (let i = 1; i < chars.length; i++) {
      const left = chars.slice(0, i).join('')
      const right = chars.slice(i).join('')
      const l = normal.get(left)
      const r = normal.get(right)
      if (l !== undefined && r !== undefined)
        merges.push({ pair: [left, right], rank: -score(id), left: l, right: r })
    }
  }
  merges.sort((a, b) => a.rank - b.rank || a.left - b.left || a.right - b.right)
  return merges.map((m) => m.pair)
}
