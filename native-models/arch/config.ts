// Hugging Face config.json → the normalized shape the graph builders use.
import { ModelFormatError } from './weights'

export const SUPPORTED_MODEL_TYPES = ['gpt2', 'llama', 'qwen2', 'mistral', 'qwen3'] as const

export interface RopeScaling {
  type: 'default' | 'linear' | 'llama3'
  factor: number
  lowFreqFactor: number
  highFreqFactor: number
  originalMaxPositions: number
}

export interface ArchConfig {
  family: 'gpt2' | 'llama'
  modelType: string
  architecture: string
  hiddenSize: number
  numLayers: number
  numHeads: number
  numKvHeads: number
  headDim: number
  intermediateSize: number
  vocabSize: number
  contextLength: number
  normEps: number
  ropeTheta: number
  ropeScaling: RopeScaling
  tiedEmbeddings: boolean
  /** q/k/v projection biases (Qwen2 always, Llama when attention_bias). */
  qkvBias: boolean
  /** o_proj bias (Llama attention_bias). */
  oBias: boolean
  mlpBias: boolean
  /** RMSNorm over each head's q and k before RoPE (Qwen3's q_norm/k_norm, size head_dim). */
  qkNorm: boolean
  bosTokenId?: number
  eosTokenIds: number[]
  torchDtype: string
}

type Json = Record<string, unknown>

function num(cfg: Json, key: string, fallback?: number): number {
  const v = cfg[key]
  if (typeof v === 'number') return v
  if (fallback !== undefined) return fallback
  throw new ModelFormatError('config.json', `missing number ${key}`)
}

function ids(v: unknown): number[] {
  if (typeof v === 'number') return [v]
  if (Array.isArray(v)) return v.filter((x): x is number => typeof x === 'number')
  return []
}

function ropeScaling(raw: unknown): RopeScaling {
  const none: RopeScaling = {
    type: 'default',
    factor: 1,
    lowFreqFactor: 1,
    highFreqFactor: 4,
    originalMaxPositions: 8192,
  }
  if (!raw || typeof raw !== 'object') return none
  const r = raw as Json
  const type = String(r.rope_type ?? r.type ?? 'default')
  const factor = typeof r.factor === 'number' ? r.factor : 1
  if (type === 'default') return none
  if (type === 'linear') return { ...none, type: 'linear', factor }
  if (type === 'llama3') {
    return {
      type: 'llama3',
      factor,
      lowFreqFactor: Number(r.low_freq_factor ?? 1),
      highFreqFactor: Number(r.high_freq_factor ?? 4),
      originalMaxPositions: Number(r.original_max_position_embeddings ?? 8192),
    }
  }
  throw new ModelFormatError(
    'config.json',
    `rope_scaling type ${type} is not supported (supported: default, linear, llama3)`,
  )
}

export function parseConfig(cfg: Json): ArchConfig {
  const modelType = String(cfg.model_type ?? '')
  if (!(SUPPORTED_MODEL_TYPES as readonly string[]).includes(modelType)) {
    throw new ModelFormatError(
      'config.json',
      `model_type "${modelType}" is not supported (supported: ${SUPPORTED_MODEL_TYPES.join(', ')})`,
    )
  }
  const architecture = Array.isArray(cfg.architectures) ? String(cfg.architectures[0]) : modelType
  const torchDtype = String(cfg.torch_dtype ?? cfg.dtype ?? 'float32')
  if (modelType === 'gpt2') {
    const hidden = num(cfg, 'n_embd')
    const heads = num(cfg, 'n_head')
    const act = String(cfg.activation_function ?? 'gelu_new')
    if (!['gelu_new', 'gelu_pytorch_tanh', 'gelu'].includes(act)) {
      throw new ModelFormatError(
        'config.json',
        `activation_function ${act} is not supported for gpt2`,
      )
    }
    return {
      family: 'gpt2',
      modelType,
      architecture,
      hiddenSize: hidden,
      numLayers: num(cfg, 'n_layer'),
      numHeads: heads,
      numKvHeads: heads,
      headDim: hidden / heads,
      intermediateSize: typeof cfg.n_inner === 'number' ? cfg.n_inner : 4 * hidden,
      vocabSize: num(cfg, 'vocab_size'),
      contextLength: num(cfg, 'n_positions', 1024),
      normEps: num(cfg, 'layer_norm_epsilon', 1e-5),
      ropeTheta: 0,
      ropeScaling: ropeScaling(null),
      tiedEmbeddings: true,
      qkvBias: true,
      oBias: true,
      mlpBias: true,
      qkNorm: false,
      bosTokenId: ids(cfg.bos_token_id)[0],
      eosTokenIds: ids(cfg.eos_token_id),
      torchDtype,
    }
  }
  const hidden = num(cfg, 'hidden_size')
  const heads = num(cfg, 'num_attention_heads')
  const act = String(cfg.hidden_act ?? 'silu')
  if (act !== 'silu')
    throw new ModelFormatError(
      'config.json',
      `hidden_act ${act} is not supported (supported: silu)`,
    )
  const attentionBias = cfg.attention_bias === true
  return {
    family: 'llama',
    modelType,
    architecture,
    hiddenSize: hidden,
    numLayers: num(cfg, 'num_hidden_layers'),
    numHeads: heads,
    numKvHeads: num(cfg, 'num_key_value_heads', heads),
    // Qwen3Config defaults head_dim to 128, not hidden / heads (Qwen3-0.6B: 16 heads of
    // 128 in a hidden size of 1024).
    headDim: num(cfg, 'head_dim', modelType === 'qwen3' ? 128 : hidden / heads),
    intermediateSize: num(cfg, 'intermediate_size'),
    vocabSize: num(cfg, 'vocab_size'),
    contextLength: llamaContext(cfg, modelType),
    normEps: num(cfg, 'rms_norm_eps', 1e-6),
    ropeTheta: num(cfg, 'rope_theta', 10000),
    ropeScaling: ropeScaling(cfg.rope_scaling),
    // LlamaConfig, Qwen2Config and MistralConfig all default tie_word_embeddings to false.
    tiedEmbeddings: cfg.tie_word_embeddings === true,
    qkvBias: modelType === 'qwen2' || attentionBias,
    oBias: attentionBias,
    mlpBias: cfg.mlp_bias === true,
    qkNorm: modelType === 'qwen3',
    bosTokenId: ids(cfg.bos_token_id)[0],
    eosTokenIds: ids(cfg.eos_token_id),
    torchDtype,
  }
}

/**
 * The context the graphs serve. With a sliding window (Mistral's sliding_window; Qwen2's
 * when use_sliding_window), HF masks keys a window or more behind the query; within a
 * context no longer than the window that mask hides nothing, so the context is capped at
 * the window and the graphs need no window of their own (a chat drops its oldest turns
 * instead, as at any context limit).
 */
function llamaContext(cfg: Json, modelType: string): number {
  const positions = num(cfg, 'max_position_embeddings', 2048)
  const window = cfg.sliding_window
  const windowed =
    modelType === 'qwen2' || modelType === 'qwen3'
      ? cfg.use_sliding_window === true
      : modelType === 'mistral'
  return windowed && typeof window === 'number' && window > 0
    ? Math.min(positions, window)
    : positions
}

/** RoPE inverse frequencies, as HF's rope_init_fn for the config's rope type. */
export function ropeInvFreq(c: ArchConfig): Float64Array {
  const half = c.headDim / 2
  const inv = new Float64Array(half)
  for (let i = 0; i < half; i++) inv[i] = 1 / c.ropeTheta ** ((2 * i) / c.headDim)
  const s = c.ropeScaling
  if (s.type === 'linear') for (let i = 0; i < half; i++) inv[i] /= s.factor
  if (s.type === 'llama3') {
    // Llama 3.1's frequency-dependent scaling (HF _compute_llama3_parameters).
    const lowWavelen = s.originalMaxPositions / s.lowFreqFactor
    const highWavelen = s.originalMaxPositions / s.highFreqFactor
    for (let i = 0; i < half; i++) {
      const wavelen = (2 * Math.PI) / inv[i]
      if (wavelen > lowWavelen) inv[i] = inv[i] / s.factor
      else if (wavelen >= highWavelen) {
        const smooth =
          (s.originalMaxPositions / wavelen - s.lowFreqFactor) /
          (s.highFreqFactor - s.lowFreqFactor)
        inv[i] = (1 - smooth) * (inv[i] / s.factor) + smooth * inv[i]
      }
    }
  }
  return inv
}

export function parameterCount(c: ArchConfig): number {
  const h = c.hiddenSize
  const kv = c.numKvHeads * c.headDim
  const q = c.numHeads * c.headDim
  if (c.family === 'gpt2') {
    const layer =
      2 * 2 * h +
      h * 3 * h +
      3 * h +
      h * h +
      h +
      h * c.intermediateSize * 2 +
      c.intermediateSize +
      h
    return c.vocabSize * h + c.contextLength * h + c.numLayers * layer + 2 * h
  }
  const attn = h * q + 2 * h * kv + q * h + (c.qkvBias ? q + 2 * kv : 0) + (c.oBias ? h : 0)
  const mlp = 3 * h * c.intermediateSize
  const layer = attn + mlp + 2 * h + (c.qkNorm ? 2 * c.headDim : 0)
  return c.vocabSize * h * (c.tiedEmbeddings ? 1 : 2) + c.numLayers * layer + h
}
