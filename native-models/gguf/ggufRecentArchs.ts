// Gemma 3 and Phi-3 GGUF files in Hugging Face terms, as llama.cpp reads them (its
// src/models/gemma3.cpp and phi3.cpp, and conversion/gemma.py and phi.py of
// convert_hf_to_gguf): the config those files mean to llama.cpp, and each tensor's HF name.
// Where llama.cpp fixes a value instead of reading it, the config gets that value, so a
// file runs here as it runs there. hfToGgufRecent.ts is the way back.

import { GgufFormatError } from './ggufReader'
import type {
  GgufArchitecture,
  GgufMetadata,
  GgufTensorAccess,
  MappedTensor,
} from './ggufArchitectures'

type Json = Record<string, unknown>

const n = (config: Json, key: string) => config[key] as number

/** llama.cpp's layer count of Gemma 3 27B, the one size whose scores scale by hidden / heads. */
export const GEMMA3_27B_LAYERS = 62
/** llama.cpp's defaults when the file does not say (gemma3.cpp, llama_hparams). */
export const GEMMA3_SWA_PERIOD = 6
export const GEMMA3_LOCAL_ROPE_BASE = 10000

function layerTensor(
  name: string,
  perLayer: Record<string, [string, MappedTensor['transform']]>,
  globals: Record<string, [string, MappedTensor['transform']]>,
): MappedTensor | undefined {
  if (globals[name]) return { hfName: globals[name][0], transform: globals[name][1] }
  const m = /^blk\.(\d+)\.(.+)$/.exec(name)
  const hf = m && perLayer[m[2]]
  return m && hf ? { hfName: `model.layers.${m[1]}.${hf[0]}`, transform: hf[1] } : undefined
}

function linearScaling(meta: GgufMetadata): Json | null {
  const type = meta.string('rope.scaling.type') ?? 'none'
  if (type !== 'none' && type !== 'linear') {
    throw new GgufFormatError(
      `metadata ${meta.arch}.rope.scaling.type "${type}" is not supported (supported: none, linear)`,
    )
  }
  const factor = meta.optional('rope.scaling.factor')
  return type === 'linear' && factor !== undefined && factor !== 1
    ? { rope_type: 'linear', factor }
    : null
}

const minusOne = { shift: -1 }

export const gemma3: GgufArchitecture = {
  config(meta, tensors) {
    const hidden = meta.number('embedding_length')
    const heads = meta.number('attention.head_count')
    const layers = meta.number('block_count')
    const headDim = meta.optional('attention.key_length') ?? hidden / heads
    const window = meta.optional('attention.sliding_window') ?? 0
    const period = meta.optional('attention.sliding_window_pattern') ?? GEMMA3_SWA_PERIOD
    // llama_hparams::set_swa_pattern: layer il slides when il % period < period − 1.
    const layerTypes = Array.from({ length: layers }, (_, il) =>
      window > 0 && (period === 0 || il % period < period - 1)
        ? 'sliding_attention'
        : 'full_attention',
    )
    const softcap = meta.optional('final_logit_softcapping')
    return {
      model_type: 'gemma3_text',
      architectures: ['Gemma3ForCausalLM'],
      hidden_size: hidden,
      intermediate_size: meta.number('feed_forward_length'),
      num_hidden_layers: layers,
      num_attention_heads: heads,
      num_key_value_heads: meta.number('attention.head_count_kv', heads),
      head_dim: headDim,
      // llama.cpp does not read query_pre_attn_scalar: it scales by 1/√head_dim, or for
      // the 27B (62 layers) by 1/√(hidden / heads).
      query_pre_attn_scalar: layers === GEMMA3_27B_LAYERS ? hidden / heads : headDim,
      max_position_embeddings: meta.number('context_length'),
      rms_norm_eps: meta.number('attention.layer_norm_rms_epsilon', 1e-6),
      hidden_activation: 'gelu_pytorch_tanh',
      rope_theta: meta.number('rope.freq_base', 10000),
      rope_local_base_freq: meta.number('rope.freq_base_swa', GEMMA3_LOCAL_ROPE_BASE),
      rope_scaling: linearScaling(meta),
      sliding_window: window > 0 ? window : null,
      layer_types: layerTypes,
      attn_logit_softcapping: null,
      final_logit_softcapping: softcap && softcap > 0 ? softcap : null,
      attention_bias: false,
      tie_word_embeddings: !tensors.has('output.weight'),
    }
  },
  tensor(name) {
    return layerTensor(
      name,
      {
        'attn_norm.weight': ['input_layernorm.weight', minusOne],
        'post_attention_norm.weight': ['post_attention_layernorm.weight', minusOne],
        'ffn_norm.weight': ['pre_feedforward_layernorm.weight', minusOne],
        'post_ffw_norm.weight': ['post_feedforward_layernorm.weight', minusOne],
        'attn_q_norm.weight': ['self_attn.q_norm.weight', minusOne],
        'attn_k_norm.weight': ['self_attn.k_norm.weight', minusOne],
        'attn_q.weight': ['self_attn.q_proj.weight', 'none'],
        'attn_k.weight': ['self_attn.k_proj.weight', 'none'],
        'attn_v.weight': ['self_attn.v_proj.weight', 'none'],
        'attn_output.weight': ['self_attn.o_proj.weight', 'none'],
        'ffn_gate.weight': ['mlp.gate_proj.weight', 'none'],
        'ffn_up.weight': ['mlp.up_proj.weight', 'none'],
        'ffn_down.weight': ['mlp.down_proj.weight', 'none'],
      },
      {
        'token_embd.weight': ['model.embed_tokens.weight', 'none'],
        'output_norm.weight': ['model.norm.weight', minusOne],
        'output.weight': ['lm_head.weight', 'none'],
      },
    )
  },
  expectedShapes(config) {
    const [h, d] = [n(config, 'hidden_size'), n(config, 'head_dim')]
    const [q, kv] = [n(config, 'num_attention_heads') * d, n(config, 'num_key_value_heads') * d]
    const ff = n(config, 'intermediate_size')
    return {
      'token_embd.weight': [n(config, 'vocab_size'), h],
      'blk.0.attn_q.weight': [q, h],
      'blk.0.attn_k.weight': [kv, h],
      'blk.0.attn_q_norm.weight': [d],
      'blk.0.attn_output.weight': [h, q],
      'blk.0.ffn_up.weight': [ff, h],
      'blk.0.ffn_down.weight': [h, ff],
    }
  },
}

function ropeFactors(tensors: GgufTensorAccess, name: string, half: number): number[] {
  const got = tensors.shape(name)
  if (got.length !== 1 || got[0] !== half) {
    throw new GgufFormatError(
      `tensor ${name} has shape [${got}] but the rotary width implies [${half}]`,
    )
  }
  return [...tensors.f32(name)]
}

export const phi3: GgufArchitecture = {
  config(meta, tensors) {
    const hidden = meta.number('embedding_length')
    const heads = meta.number('attention.head_count')
    const headDim = hidden / heads
    const ropeDim = meta.number('rope.dimension_count', headDim)
    const context = meta.number('context_length')
    const original = meta.optional('rope.scaling.original_context_length') ?? context
    const long = tensors.has('rope_factors_long.weight')
    if (long !== tensors.has('rope_factors_short.weight')) {
      throw new GgufFormatError(
        'has only one of rope_factors_long.weight and rope_factors_short.weight',
      )
    }
    const attnFactor = meta.optional('rope.scaling.attn_factor')
    return {
      model_type: 'phi3',
      architectures: ['Phi3ForCausalLM'],
      hidden_size: hidden,
      intermediate_size: meta.number('feed_forward_length'),
      num_hidden_layers: meta.number('block_count'),
      num_attention_heads: heads,
      num_key_value_heads: meta.number('attention.head_count_kv', heads),
      max_position_embeddings: context,
      original_max_position_embeddings: original,
      partial_rotary_factor: ropeDim / headDim,
      rope_theta: meta.number('rope.freq_base', 10000),
      // llama.cpp passes the factors to ggml_rope_ext as divisors of each frequency, and
      // attn_factor scales cos and sin: HF longrope with attention_factor.
      rope_scaling: long
        ? {
            type: 'longrope',
            short_factor: ropeFactors(tensors, 'rope_factors_short.weight', ropeDim / 2),
            long_factor: ropeFactors(tensors, 'rope_factors_long.weight', ropeDim / 2),
            ...(attnFactor !== undefined ? { attention_factor: attnFactor } : {}),
          }
        : null,
      // llama.cpp reads phi3.attention.sliding_window but disables Phi's sliding window
      // (llama.cpp#13676): every layer attends to the whole context.
      sliding_window: null,
      rms_norm_eps: meta.number('attention.layer_norm_rms_epsilon', 1e-5),
      hidden_act: 'silu',
      tie_word_embeddings: !tensors.has('output.weight'),
    }
  },
  tensor(name) {
    return layerTensor(
      name,
      {
        'attn_norm.weight': ['input_layernorm.weight', 'none'],
        'attn_qkv.weight': ['self_attn.qkv_proj.weight', 'none'],
        'attn_output.weight': ['self_attn.o_proj.weight', 'none'],
        'ffn_norm.weight': ['post_attention_layernorm.weight', 'none'],
        // llama.cpp's ffn_up holds gate then up, as HF's gate_up_proj (LLM_FFN_SWIGLU).
        'ffn_up.weight': ['mlp.gate_up_proj.weight', 'none'],
        'ffn_down.weight': ['mlp.down_proj.weight', 'none'],
      },
      {
        'token_embd.weight': ['model.embed_tokens.weight', 'none'],
        'output_norm.weight': ['model.norm.weight', 'none'],
        'output.weight': ['lm_head.weight', 'none'],
      },
    )
  },
  expectedShapes(config) {
    const h = n(config, 'hidden_size')
    const d = h / n(config, 'num_attention_heads')
    const qkv = (n(config, 'num_attention_heads') + 2 * n(config, 'num_key_value_heads')) * d
    const ff = n(config, 'intermediate_size')
    return {
      'token_embd.weight': [n(config, 'vocab_size'), h],
      'blk.0.attn_qkv.weight': [qkv, h],
      'blk.0.attn_output.weight': [h, h],
      'blk.0.ffn_up.weight': [2 * ff, h],
      'blk.0.ffn_down.weight': [h, ff],
    }
  },
  consumed: ['rope_factors_long.weight', 'rope_factors_short.weight'],
}
