// Hugging Face config.json → the normalized shape the graph builders use.
import { parseGemma3 } from './configGemma'
import { ropeScaling, type RopeScaling } from './rope'
import { ModelFormatError } from './weights'

export const SUPPORTED_MODEL_TYPES = [
  'gpt2',
  'llama',
  'qwen2',
  'mistral',
  'qwen3',
  'gemma3_text',
  'smollm3',
  'phi3',
] as const

export interface ArchConfig {
  family: 'gpt2' | 'llama'
  modelType: string
  architecture: string
  hiddenSize: number
  numLayers: number
  numHeads: number
  numKvHeads: number
  headDim: number
  /** The leading width of each head that RoPE rotates (Phi-3's partial_rotary_factor). */
  rotaryDim: number
  /** Phi-3's checkpoint packs q/k/v as qkv_proj and gate/up as gate_up_proj. */
  packedCheckpoint: boolean
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
  /** Embeddings × this (Gemma: √hidden, rounded to float32 as HF's embed_scale buffer). */
  embedScale: number
  /** Gemma's RMSNorm scales by (1 + weight): the checkpoint stores the weight minus one. */
  normPlusOne: boolean
  /**
   * Gemma's four norms per layer: the attention and MLP outputs are normed
   * (post_attention_layernorm, post_feedforward_layernorm) before their residual add, and
   * pre_feedforward_layernorm is the MLP's input norm.
   */
  sandwichNorms: boolean
  /** Multiplies q·k: 1/√head_dim, Gemma query_pre_attn_scalar^-½. */
  attnScale: number
  /** Gemma's softcapping, cap·tanh(x / cap): of the scaled scores and of the final logits. */
  attnSoftcap: number | null
  finalSoftcap: number | null
  activation: 'silu' | 'geluTanh'
  /** Per layer: a sliding layer's query sees only the `slidingWindow` latest keys (itself included). */
  layerTypes: LayerType[]
  slidingWindow: number
  /** RoPE base of sliding layers (Gemma's rope_local_base_freq; they use no scaling). */
  localRopeTheta: number
  /** Per layer: whether q and k are rotated (SmolLM3's no_rope_layers: 0 = a NoPE layer). */
  ropeLayers: boolean[]
  bosTokenId?: number
  eosTokenIds: number[]
  torchDtype: string
}

export type LayerType = 'full' | 'sliding'
export { ropeInvFreq, ropeScaling, type RopeScaling } from './rope'

/** The ArchConfig fields that only some families set, at what every other family has. */
function plainDecoder(headDim: number, layers: number) {
  return {
    embedScale: 1,
    normPlusOne: false,
    sandwichNorms: false,
    attnScale: 1 / Math.sqrt(headDim),
    attnSoftcap: null,
    finalSoftcap: null,
    activation: 'silu' as const,
    layerTypes: Array.from({ length: layers }, (): LayerType => 'full'),
    slidingWindow: 0,
    localRopeTheta: 0,
    ropeLayers: Array.from({ length: layers }, () => true),
    rotaryDim: headDim,
    packedCheckpoint: false,
  }
}

type Json = Record<string, unknown>

export function num(cfg: Json, key: string, fallback?: number): number {
  const v = cfg[key]
  if (typeof v === 'number') return v
  if (fallback !== undefined) return fallback
  throw new ModelFormatError('config.json', `missing number ${key}`)
}

/**
 * A count or dimension (layers, heads, widths, positions): a whole number of at least 1. A
 * value like 0, -1 or 100.5 would build a graph that fails far from the file that caused it.
 */
export function size(cfg: Json, key: string, fallback?: number): number {
  const v = num(cfg, key, fallback)
  if (!Number.isInteger(v) || v < 1) {
    throw new ModelFormatError(
      'config.json',
      `${key} is ${JSON.stringify(cfg[key])}; it must be a whole number of at least 1`,
    )
  }
  return v
}

export function ids(v: unknown): number[] {
  if (typeof v === 'number') return [v]
  if (Array.isArray(v)) return v.filter((x): x is number => typeof x === 'number')
  return []
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
  if (modelType === 'gemma3_text') return parseGemma3(cfg, architecture, torchDtype)
  if (modelType === 'gpt2') {
    const hidden = size(cfg, 'n_embd')
    const heads = size(cfg, 'n_head')
    const layers = size(cfg, 'n_layer')
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
      numLayers: layers,
      numHeads: heads,
      numKvHeads: heads,
      headDim: hidden / heads,
      intermediateSize: typeof cfg.n_inner === 'number' ? cfg.n_inner : 4 * hidden,
      vocabSize: size(cfg, 'vocab_size'),
      contextLength: size(cfg, 'n_positions', 1024),
      normEps: num(cfg, 'layer_norm_epsilon', 1e-5),
      ropeTheta: 0,
      ropeScaling: ropeScaling(null),
      tiedEmbeddings: true,
      qkvBias: true,
      oBias: true,
      mlpBias: true,
      qkNorm: false,
      ...plainDecoder(hidden / heads, layers),
      bosTokenId: ids(cfg.bos_token_id)[0],
      eosTokenIds: ids(cfg.eos_token_id),
      torchDtype,
    }
  }
  const hidden = size(cfg, 'hidden_size')
  const heads = size(cfg, 'num_attention_heads')
  const act = String(cfg.hidden_act ?? 'silu')
  if (act !== 'silu')
    throw new ModelFormatError(
      'config.json',
      `hidden_act ${act} is not supported (supported: silu)`,
    )
  const attentionBias = cfg.attention_bias === true
  const layers = size(cfg, 'num_hidden_layers')
  // Qwen3Config defaults head_dim to 128, not hidden / heads (Qwen3-0.6B: 16 heads of
  // 128 in a hidden size of 1024).
  const headDim = num(cfg, 'head_dim', modelType === 'qwen3' ? 128 : hidden / heads)
  // Phi-3 rotates the first int(head_dim · partial_rotary_factor) features of each head.
  const rotaryDim = Math.floor(headDim * num(cfg, 'partial_rotary_factor', 1))
  if (rotaryDim % 2 !== 0 || rotaryDim <= 0)
    throw new ModelFormatError(
      'config.json',
      `partial_rotary_factor gives an odd or empty rotary width ${rotaryDim} of head_dim ${headDim}`,
    )
  const phi3 = modelType === 'phi3'
  const window = cfg.sliding_window
  // Phi3Model masks every layer with sliding_window when the config sets one.
  const phiSliding =
    phi3 && typeof window === 'number' && window > 0
      ? {
          layerTypes: Array.from({ length: layers }, (): LayerType => 'sliding'),
          slidingWindow: window,
        }
      : {}
  return {
    family: 'llama',
    modelType,
    architecture,
    hiddenSize: hidden,
    numLayers: layers,
    numHeads: heads,
    numKvHeads: size(cfg, 'num_key_value_heads', heads),
    headDim,
    intermediateSize: size(cfg, 'intermediate_size'),
    vocabSize: size(cfg, 'vocab_size'),
    contextLength: llamaContext(cfg, modelType),
    normEps: num(cfg, 'rms_norm_eps', 1e-6),
    ropeTheta: num(cfg, 'rope_theta', 10000),
    ropeScaling: ropeScaling(cfg.rope_scaling, cfg, rotaryDim),
    // LlamaConfig, Qwen2Config and MistralConfig default tie_word_embeddings to false,
    // SmolLM3Config to true.
    tiedEmbeddings:
      modelType === 'smollm3'
        ? cfg.tie_word_embeddings !== false
        : cfg.tie_word_embeddings === true,
    qkvBias: modelType === 'qwen2' || attentionBias,
    oBias: attentionBias,
    mlpBias: cfg.mlp_bias === true,
    qkNorm: modelType === 'qwen3',
    ...plainDecoder(headDim, layers),
    ...(modelType === 'smollm3' ? { ropeLayers: noRopeLayers(cfg, layers) } : {}),
    ...phiSliding,
    rotaryDim,
    packedCheckpoint: phi3,
    bosTokenId: ids(cfg.bos_token_id)[0],
    eosTokenIds: ids(cfg.eos_token_id),
    torchDtype,
  }
}

/**
 * SmolLM3's no_rope_layers (1: the layer uses RoPE, 0: NoPE), or when absent a NoPE layer
 * every no_rope_layer_interval (default 4) layers, as SmolLM3Config builds it.
 */
function noRopeLayers(cfg: Json, layers: number): boolean[] {
  const list = cfg.no_rope_layers
  if (Array.isArray(list)) {
    if (list.length < layers)
      throw new ModelFormatError(
        'config.json',
        `no_rope_layers has ${list.length} entries for ${layers} layers`,
      )
    return list.slice(0, layers).map((v) => v !== 0)
  }
  const interval = num(cfg, 'no_rope_layer_interval', 4)
  return Array.from({ length: layers }, (_, i) => (i + 1) % interval !== 0)
}

/**
 * The context the graphs serve. With a sliding window (Mistral's sliding_window; Qwen2's
 * when use_sliding_window), HF masks keys a window or more behind the query; within a
 * context no longer than the window that mask hides nothing, so the context is capped at
 * the window and the graphs need no window of their own (a chat drops its oldest turns
 * instead, as at any context limit).
 */
function llamaContext(cfg: Json, modelType: string): number {
  const positions = size(cfg, 'max_position_embeddings', 2048)
  const window = cfg.sliding_window
  const windowed =
    modelType === 'qwen2' || modelType === 'qwen3' || modelType === 'smollm3'
      ? cfg.use_sliding_window === true
      : modelType === 'mistral'
  return windowed && typeof window === 'number' && window > 0
    ? Math.min(positions, window)
    : positions
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
  const norms = (c.sandwichNorms ? 4 : 2) * h + (c.qkNorm ? 2 * c.headDim : 0)
  const layer = attn + mlp + norms
  return c.vocabSize * h * (c.tiedEmbeddings ? 1 : 2) + c.numLayers * layer + h
}
