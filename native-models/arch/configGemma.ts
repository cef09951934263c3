// Gemma 3 text models (Gemma3ForCausalLM, model_type gemma3_text): config.json → ArchConfig,
// with Gemma3TextConfig's defaults (configuration_gemma3.py).
import { ids, num, ropeScaling, size, type ArchConfig, type LayerType } from './config'
import { ModelFormatError } from './weights'

type Json = Record<string, unknown>

/**
 * Which layers slide: `layer_types` (sliding_attention / full_attention) when given, else
 * the older `sliding_window_pattern` (default 6): every pattern-th layer is full.
 */
function layerTypes(cfg: Json, layers: number): LayerType[] {
  if (Array.isArray(cfg.layer_types)) {
    if (cfg.layer_types.length !== layers)
      throw new ModelFormatError(
        'config.json',
        `layer_types has ${cfg.layer_types.length} entries for ${layers} layers`,
      )
    return cfg.layer_types.map((t, i) => {
      if (t === 'sliding_attention') return 'sliding'
      if (t === 'full_attention') return 'full'
      throw new ModelFormatError(
        'config.json',
        `layer_types[${i}] is ${String(t)} (supported: sliding_attention, full_attention)`,
      )
    })
  }
  const pattern = num(cfg, 'sliding_window_pattern', 6)
  return Array.from({ length: layers }, (_, i) => ((i + 1) % pattern ? 'sliding' : 'full'))
}

/** Newer configs nest RoPE per layer type in rope_parameters; older ones are flat. */
function ropeOf(cfg: Json): { theta: number; local: number; scaling: unknown } {
  const params = cfg.rope_parameters as Record<string, Json | undefined> | undefined
  if (params && typeof params === 'object' && params.full_attention) {
    const full = params.full_attention
    const local = params.sliding_attention
    return {
      theta: num(full, 'rope_theta', 1000000),
      local: local ? num(local, 'rope_theta', 10000) : 10000,
      scaling: full,
    }
  }
  return {
    theta: num(cfg, 'rope_theta', 1000000),
    local: num(cfg, 'rope_local_base_freq', 10000),
    scaling: cfg.rope_scaling,
  }
}

function cap(v: unknown): number | null {
  return typeof v === 'number' && v > 0 ? v : null
}

export function parseGemma3(cfg: Json, architecture: string, torchDtype: string): ArchConfig {
  const hidden = size(cfg, 'hidden_size', 2304)
  const heads = size(cfg, 'num_attention_heads', 8)
  const layers = size(cfg, 'num_hidden_layers', 26)
  const headDim = size(cfg, 'head_dim', 256)
  const act = String(cfg.hidden_activation ?? cfg.hidden_act ?? 'gelu_pytorch_tanh')
  if (act !== 'gelu_pytorch_tanh' && act !== 'gelu_new')
    throw new ModelFormatError(
      'config.json',
      `hidden_activation ${act} is not supported for gemma3_text (supported: gelu_pytorch_tanh)`,
    )
  const bias = cfg.attention_bias === true
  const rope = ropeOf(cfg)
  return {
    family: 'llama',
    modelType: 'gemma3_text',
    architecture,
    hiddenSize: hidden,
    numLayers: layers,
    numHeads: heads,
    numKvHeads: size(cfg, 'num_key_value_heads', 4),
    headDim,
    intermediateSize: size(cfg, 'intermediate_size', 9216),
    vocabSize: size(cfg, 'vocab_size', 262208),
    // Sliding layers mask by themselves (layerTypes), so nothing caps the context.
    contextLength: size(cfg, 'max_position_embeddings', 131072),
    normEps: num(cfg, 'rms_norm_eps', 1e-6),
    ropeTheta: rope.theta,
    ropeScaling: ropeScaling(rope.scaling, cfg, headDim),
    tiedEmbeddings: cfg.tie_word_embeddings !== false,
    qkvBias: bias,
    oBias: bias,
    mlpBias: false,
    qkNorm: true,
    embedScale: Math.fround(Math.sqrt(hidden)),
    normPlusOne: true,
    sandwichNorms: true,
    attnScale: num(cfg, 'query_pre_attn_scalar', 256) ** -0.5,
    attnSoftcap: cap(cfg.attn_logit_softcapping),
    finalSoftcap: cap(cfg.final_logit_softcapping),
    activation: 'geluTanh',
    layerTypes: layerTypes(cfg, layers),
    slidingWindow: num(cfg, 'sliding_window', 4096),
    localRopeTheta: rope.local,
    ropeLayers: Array.from({ length: layers }, () => true),
    rotaryDim: headDim,
    packedCheckpoint: false,
    bosTokenId: ids(cfg.bos_token_id ?? 2)[0],
    eosTokenIds: ids(cfg.eos_token_id ?? 1),
    torchDtype,
  }
}
