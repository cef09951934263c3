// What a GGUF architecture means in Hugging Face terms: per general.architecture, the
// config.json its metadata implies and the HF name (and layout change) of each tensor —
// the inverse of hfToGguf.ts and of llama.cpp's convert_hf_to_gguf.py. A new architecture
// is one entry of `ggufArchitectures`.

import { GgufFormatError } from './ggufReader'
import type { GgufScalar } from './ggufWriter'
import { gemma3, phi3 } from './ggufRecentArchs'

type Json = Record<string, unknown>

/** How a tensor stored by llama.cpp becomes the HF tensor (row-major data). */
export type TensorTransform =
  | 'none'
  /** GPT-2's Conv1D weights are [in, out] in HF, Linear's [out, in] in GGUF. */
  | 'transpose'
  /** convert_hf_to_gguf's Q/K row permutation for llama's interleaved RoPE, undone. */
  | { unpermuteHeads: number }
  /** Added to every element: Gemma's norms, which the converter stores with +1, get −1. */
  | { shift: number }

export interface MappedTensor {
  hfName: string
  transform: TensorTransform
}

/** The metadata, read with the architecture's key prefix; errors name the key. */
export class GgufMetadata {
  constructor(
    readonly map: Map<string, GgufScalar | GgufScalar[]>,
    readonly arch: string,
  ) {}
  optional(key: string): number | undefined {
    const v = this.map.get(`${this.arch}.${key}`)
    if (v === undefined) return undefined
    if (typeof v === 'number') return v
    if (typeof v === 'bigint') return Number(v)
    throw new GgufFormatError(`metadata ${this.arch}.${key} is not a number`)
  }
  number(key: string, fallback?: number): number {
    const v = this.optional(key) ?? fallback
    if (v === undefined) throw new GgufFormatError(`has no metadata ${this.arch}.${key}`)
    return v
  }
  string(key: string): string | undefined {
    const v = this.map.get(`${this.arch}.${key}`)
    return typeof v === 'string' ? v : undefined
  }
}

/** What the file's tensors say, for metadata that llama.cpp keeps in tensors (rope_freqs). */
export interface GgufTensorAccess {
  has(name: string): boolean
  /** Row-major shape (the reverse of GGUF's dims). */
  shape(name: string): number[]
  f32(name: string): Float32Array
}

export interface GgufArchitecture {
  /** config.json for the file: model_type is one parseConfig supports. */
  config(meta: GgufMetadata, tensors: GgufTensorAccess): Json
  /** HF name of a GGUF tensor, or undefined for one the graphs do not read. */
  tensor(ggufName: string, config: Json): MappedTensor | undefined
  /** Row-major shapes the config implies for layer 0's and the global tensors (by GGUF name). */
  expectedShapes(config: Json): Record<string, number[]>
  /** GGUF tensors that carry no HF weight (their content went into the config). */
  consumed?: string[]
}

const n = (config: Json, key: string) => config[key] as number

function ropeScaling(meta: GgufMetadata, tensors: GgufTensorAccess, config: Json): Json | null {
  const type = meta.string('rope.scaling.type') ?? 'none'
  if (type !== 'none' && type !== 'linear') {
    throw new GgufFormatError(
      `metadata ${meta.arch}.rope.scaling.type "${type}" is not supported (supported: none, linear, and llama3's rope_freqs)`,
    )
  }
  if (tensors.has('rope_freqs.weight')) {
    if (type === 'linear') {
      throw new GgufFormatError('has both linear rope scaling and rope_freqs.weight')
    }
    return llama3Scaling(tensors.f32('rope_freqs.weight'), config)
  }
  if (type === 'linear') return { rope_type: 'linear', factor: meta.number('rope.scaling.factor') }
  return null
}

/**
 * llama.cpp keeps Llama 3.1's rope scaling only as the per-pair divisors it computed
 * (rope_freqs); HF's config needs the parameters. HF's divisors depend on them only through
 * a = old/(high − low) and c = low/(high − low): with x = 1/λ, a pair's smooth weight is
 * s = a·x − c, divisor `factor` where s ≤ 0, 1 where s ≥ 1, 1/((1 − s)/factor + s) between.
 * So (a, c) come from the pairs in between (two fix them; one, with the pairs on either
 * side, bounds them), and any (old, low, high) with those a and c is the same scaling. The
 * result must give every stored divisor back.
 */
function llama3Scaling(freqs: Float32Array, config: Json): Json | null {
  const dim = n(config, 'head_dim')
  const base = n(config, 'rope_theta')
  const factor = freqs.reduce((a, b) => Math.max(a, b), 1)
  if (factor === 1) return null
  const x = (i: number) => Math.fround(1 / base ** ((2 * i) / dim)) / (2 * Math.PI)
  const between: [number, number][] = []
  let xf = -Infinity // largest x divided by the full factor
  let x1 = Infinity // smallest x left as it is
  for (let i = 0; i < dim / 2; i++) {
    const r = freqs[i]
    if (r >= factor * (1 - 1e-6)) xf = Math.max(xf, x(i))
    else if (r <= 1 + 1e-6) x1 = Math.min(x1, x(i))
    else between.push([x(i), (1 / r - 1 / factor) / (1 - 1 / factor)])
  }
  let a: number
  let c: number
  if (between.length >= 2) {
    const [[x0, s0], [x2, s2]] = [between[0], between[between.length - 1]]
    a = (s2 - s0) / (x2 - x0)
    c = a * x0 - s0
  } else if (between.length === 1) {
    const [x0, s0] = between[0]
    a = Math.max(
      (2 * s0) / x0,
      Number.isFinite(xf) ? s0 / (x0 - xf) : 0,
      Number.isFinite(x1) ? (1 - s0) / (x1 - x0) : 0,
    )
    c = a * x0 - s0
  } else {
    a = Number.isFinite(x1) ? 1 / (x1 - xf) : 1 / xf
    c = a * xf
  }
  const old = 8192
  const low = (c * old) / a
  const high = low + old / a
  for (let i = 0; i < dim / 2; i++) {
    const wavelen = 1 / x(i)
    let want = 1
    if (wavelen > old / low) want = factor
    else if (wavelen >= old / high) {
      const s = (old / wavelen - low) / (high - low)
      want = 1 / ((1 - s) / factor + s)
    }
    if (!(Math.abs(want - freqs[i]) <= 1e-4 * want)) {
      throw new GgufFormatError(
        `rope_freqs.weight is not Llama 3's rope scaling (pair ${i}: ${freqs[i]}, expected ${want})`,
      )
    }
  }
  return {
    rope_type: 'llama3',
    factor,
    low_freq_factor: low,
    high_freq_factor: high,
    original_max_position_embeddings: old,
  }
}

const ARCHITECTURE_CLASS = {
  llama: 'LlamaForCausalLM',
  qwen2: 'Qwen2ForCausalLM',
  qwen3: 'Qwen3ForCausalLM',
} as const

/**
 * Llama, Qwen2 and Qwen3: the same tensors (Qwen3 adds attn_q_norm/attn_k_norm); llama
 * stores Q/K rows permuted, the Qwens (NEOX rope in llama.cpp, as HF's) do not.
 */
function llamaFamily(
  modelType: keyof typeof ARCHITECTURE_CLASS,
  permuted: boolean,
): GgufArchitecture {
  const perLayer: Record<string, string> = {
    'attn_norm.weight': 'input_layernorm.weight',
    'ffn_norm.weight': 'post_attention_layernorm.weight',
    'attn_q.weight': 'self_attn.q_proj.weight',
    'attn_q.bias': 'self_attn.q_proj.bias',
    'attn_k.weight': 'self_attn.k_proj.weight',
    'attn_k.bias': 'self_attn.k_proj.bias',
    'attn_v.weight': 'self_attn.v_proj.weight',
    'attn_v.bias': 'self_attn.v_proj.bias',
    'attn_output.weight': 'self_attn.o_proj.weight',
    'attn_output.bias': 'self_attn.o_proj.bias',
    'ffn_gate.weight': 'mlp.gate_proj.weight',
    'ffn_up.weight': 'mlp.up_proj.weight',
    'ffn_down.weight': 'mlp.down_proj.weight',
    ...(modelType === 'qwen3'
      ? {
          'attn_q_norm.weight': 'self_attn.q_norm.weight',
          'attn_k_norm.weight': 'self_attn.k_norm.weight',
        }
      : {}),
  }
  const globals: Record<string, string> = {
    'token_embd.weight': 'model.embed_tokens.weight',
    'output_norm.weight': 'model.norm.weight',
    'output.weight': 'lm_head.weight',
  }
  return {
    config(meta, tensors) {
      const hidden = meta.number('embedding_length')
      const heads = meta.number('attention.head_count')
      const headDim = meta.optional('attention.key_length') ?? hidden / heads
      const ropeDim = meta.optional('rope.dimension_count') ?? headDim
      if (ropeDim !== headDim) {
        throw new GgufFormatError(
          `metadata ${meta.arch}.rope.dimension_count ${ropeDim} differs from the head size ${headDim} (partial RoPE is not supported for ${meta.arch})`,
        )
      }
      const config: Json = {
        model_type: modelType,
        architectures: [ARCHITECTURE_CLASS[modelType]],
        hidden_size: hidden,
        intermediate_size: meta.number('feed_forward_length'),
        num_hidden_layers: meta.number('block_count'),
        num_attention_heads: heads,
        num_key_value_heads: meta.number('attention.head_count_kv', heads),
        head_dim: headDim,
        rms_norm_eps: meta.number('attention.layer_norm_rms_epsilon', 1e-6),
        rope_theta: meta.number('rope.freq_base', 10000),
        max_position_embeddings: meta.number('context_length'),
        tie_word_embeddings: !tensors.has('output.weight'),
        attention_bias: modelType === 'llama' && tensors.has('blk.0.attn_q.bias'),
        hidden_act: 'silu',
      }
      config.rope_scaling = ropeScaling(meta, tensors, config)
      return config
    },
    tensor(name, config) {
      if (globals[name]) return { hfName: globals[name], transform: 'none' }
      const m = /^blk\.(\d+)\.(.+)$/.exec(name)
      const hf = m && perLayer[m[2]]
      if (!m || !hf) return undefined
      let transform: TensorTransform = 'none'
      if (permuted && m[2].startsWith('attn_q.'))
        transform = { unpermuteHeads: n(config, 'num_attention_heads') }
      if (permuted && m[2].startsWith('attn_k.'))
        transform = { unpermuteHeads: n(config, 'num_key_value_heads') }
      return { hfName: `model.layers.${m[1]}.${hf}`, transform }
    },
    expectedShapes(config) {
      const [h, d] = [n(config, 'hidden_size'), n(config, 'head_dim')]
      const [q, kv] = [n(config, 'num_attention_heads') * d, n(config, 'num_key_value_heads') * d]
      const ff = n(config, 'intermediate_size')
      return {
        'token_embd.weight': [n(config, 'vocab_size'), h],
        'output.weight': [n(config, 'vocab_size'), h],
        'blk.0.attn_q.weight': [q, h],
        'blk.0.attn_k.weight': [kv, h],
        'blk.0.attn_v.weight': [kv, h],
        'blk.0.attn_output.weight': [h, q],
        'blk.0.ffn_up.weight': [ff, h],
        'blk.0.ffn_down.weight': [h, ff],
      }
    },
    consumed: ['rope_freqs.weight'],
  }
}

const gpt2: GgufArchitecture = {
  config(meta) {
    const hidden = meta.number('embedding_length')
    return {
      model_type: 'gpt2',
      architectures: ['GPT2LMHeadModel'],
      n_embd: hidden,
      n_layer: meta.number('block_count'),
      n_head: meta.number('attention.head_count'),
      n_positions: meta.number('context_length'),
      n_inner: meta.number('feed_forward_length', 4 * hidden),
      layer_norm_epsilon: meta.number('attention.layer_norm_epsilon', 1e-5),
      activation_function: 'gelu_new',
    }
  },
  tensor(name) {
    const globals: Record<string, string> = {
      'token_embd.weight': 'wte.weight',
      'position_embd.weight': 'wpe.weight',
      'output_norm.weight': 'ln_f.weight',
      'output_norm.bias': 'ln_f.bias',
    }
    if (globals[name]) return { hfName: globals[name], transform: 'none' }
    const perLayer: Record<string, [string, TensorTransform]> = {
      'attn_norm.weight': ['ln_1.weight', 'none'],
      'attn_norm.bias': ['ln_1.bias', 'none'],
      'attn_qkv.weight': ['attn.c_attn.weight', 'transpose'],
      'attn_qkv.bias': ['attn.c_attn.bias', 'none'],
      'attn_output.weight': ['attn.c_proj.weight', 'transpose'],
      'attn_output.bias': ['attn.c_proj.bias', 'none'],
      'ffn_norm.weight': ['ln_2.weight', 'none'],
      'ffn_norm.bias': ['ln_2.bias', 'none'],
      'ffn_up.weight': ['mlp.c_fc.weight', 'transpose'],
      'ffn_up.bias': ['mlp.c_fc.bias', 'none'],
      'ffn_down.weight': ['mlp.c_proj.weight', 'transpose'],
      'ffn_down.bias': ['mlp.c_proj.bias', 'none'],
    }
    const m = /^blk\.(\d+)\.(.+)$/.exec(name)
    const hf = m && perLayer[m[2]]
    return m && hf ? { hfName: `h.${m[1]}.${hf[0]}`, transform: hf[1] } : undefined
  },
  expectedShapes(config) {
    const h = n(config, 'n_embd')
    const ff = n(config, 'n_inner')
    return {
      'token_embd.weight': [n(config, 'vocab_size'), h],
      'position_embd.weight': [n(config, 'n_positions'), h],
      'blk.0.attn_qkv.weight': [3 * h, h],
      'blk.0.attn_output.weight': [h, h],
      'blk.0.ffn_up.weight': [ff, h],
      'blk.0.ffn_down.weight': [h, ff],
    }
  },
}

/** By general.architecture. Mistral files say "llama": convert_hf_to_gguf writes them so. */
export const ggufArchitectures: Record<string, GgufArchitecture> = {
  llama: llamaFamily('llama', true),
  qwen2: llamaFamily('qwen2', false),
  qwen3: llamaFamily('qwen3', false),
  gemma3,
  phi3,
  gpt2,
}

/** convert_hf_to_gguf's `permute` undone: row (h, j, t) of the file is HF's (h, t, j). */
export function unpermuteHeads(data: Float32Array, rows: number, heads: number): Float32Array {
  const cols = data.length / rows
  const headDim = rows / heads
  const half = headDim / 2
  const out = new Float32Array(data.length)
  for (let h = 0; h < heads; h++) {
    for (let t = 0; t < 2; t++) {
      for (let j = 0; j < half; j++) {
        const from = (h * headDim + j * 2 + t) * cols
        const to = (h * headDim + t * half + j) * cols
        out.set(data.subarray(from, from + cols), to)
      }
    }
  }
  return out
}
