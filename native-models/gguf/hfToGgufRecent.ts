// Gemma 3 and Phi-3 Hugging Face folders → GGUF as llama.cpp's converter writes them
// (conversion/gemma.py Gemma3Model, conversion/phi.py Phi3MiniModel): tensor names,
// Gemma's norms stored with +1, Phi-3's fused tensors and rope factors, and the metadata.
// A config that llama.cpp would run differently from Transformers is refused, naming the
// config.json field, rather than written as a file that silently computes something else.

import { parseConfig, type ArchConfig } from '../arch/config'
import { gguf, type GgufValue } from './ggufWriter'
import type { HfConfig } from './hfToGguf'
import { GEMMA3_27B_LAYERS, GEMMA3_LOCAL_ROPE_BASE, GEMMA3_SWA_PERIOD } from './ggufRecentArchs'

export type Transform = 'none' | 'transpose' | { permuteHeads: number } | { shift: number }

export interface Mapped {
  hfName: string
  ggufName: string
  transform: Transform
}

export class GgufExportRefused extends Error {}

const refuse = (field: string, why: string): never => {
  throw new GgufExportRefused(`config.json ${field}: ${why}`)
}

function layered(
  config: ArchConfig,
  globalsFirst: Mapped[],
  perLayer: [string, string, Transform][],
  globalsLast: Mapped[],
): Mapped[] {
  const out = [...globalsFirst]
  for (let i = 0; i < config.numLayers; i++) {
    for (const [hf, gg, transform] of perLayer) {
      out.push({ hfName: `model.layers.${i}.${hf}`, ggufName: `blk.${i}.${gg}`, transform })
    }
  }
  return [...out, ...globalsLast]
}

/** Gemma3RMSNorm scales by (1 + weight); llama.cpp's RMS norm by the weight, so +1. */
const plusOne = { shift: 1 }

/**
 * The sliding-window period llama.cpp's set_swa_pattern gives these layer types (layer il
 * slides when il % p < p − 1; layers + 1 makes every layer slide), or undefined when no
 * period gives them.
 */
function swaPeriod(types: ArchConfig['layerTypes']): number | undefined {
  for (let p = 1; p <= types.length + 1; p++) {
    if (types.every((t, il) => (t === 'sliding') === il % p < p - 1)) return p
  }
  return undefined
}

function gemma3Checked(config: HfConfig): { cfg: ArchConfig; period: number | undefined } {
  const cfg = parseConfig(config)
  if (cfg.attnSoftcap !== null) {
    refuse('attn_logit_softcapping', "llama.cpp's gemma3 has no attention softcapping")
  }
  const wantScalar =
    cfg.numLayers === GEMMA3_27B_LAYERS ? cfg.hiddenSize / cfg.numHeads : cfg.headDim
  if (Math.abs(cfg.attnScale * Math.sqrt(wantScalar) - 1) > 1e-6) {
    refuse(
      'query_pre_attn_scalar',
      `llama.cpp does not read it and scales scores by 1/√${wantScalar} for a ${cfg.numLayers}-layer Gemma 3; set it to ${wantScalar}`,
    )
  }
  const anySliding = cfg.layerTypes.includes('sliding')
  const period = anySliding ? swaPeriod(cfg.layerTypes) : undefined
  if (anySliding && period === undefined) {
    refuse(
      'layer_types',
      'llama.cpp reads the sliding layers as a period (every p-th layer full), and these follow none',
    )
  }
  if (cfg.ropeScaling.type !== 'default' && cfg.ropeScaling.type !== 'linear') {
    refuse(
      'rope_scaling',
      `llama.cpp's gemma3 reads linear scaling only, not ${cfg.ropeScaling.type}`,
    )
  }
  return { cfg, period }
}

function phi3Checked(config: HfConfig): ArchConfig {
  const cfg = parseConfig(config)
  if (cfg.headDim * cfg.numHeads !== cfg.hiddenSize) {
    refuse('head_dim', "llama.cpp's phi3 needs heads × head size = hidden size")
  }
  const window = config.sliding_window
  if (typeof window === 'number' && window > 0 && window < cfg.contextLength) {
    refuse(
      'sliding_window',
      `llama.cpp disables Phi-3's sliding window (llama.cpp#13676), so past ${window} tokens it would attend where Transformers does not; set it to null or at least max_position_embeddings`,
    )
  }
  if (cfg.ropeScaling.type !== 'default' && cfg.ropeScaling.type !== 'longrope') {
    refuse('rope_scaling', `llama.cpp's phi3 reads longrope only, not ${cfg.ropeScaling.type}`)
  }
  return cfg
}

export function recentTensors(arch: 'gemma3' | 'phi3', config: HfConfig): Mapped[] {
  if (arch === 'gemma3') {
    const { cfg } = gemma3Checked(config)
    return layered(
      cfg,
      [{ hfName: 'model.embed_tokens.weight', ggufName: 'token_embd.weight', transform: 'none' }],
      [
        ['input_layernorm.weight', 'attn_norm.weight', plusOne],
        ['self_attn.q_proj.weight', 'attn_q.weight', 'none'],
        ['self_attn.k_proj.weight', 'attn_k.weight', 'none'],
        ['self_attn.v_proj.weight', 'attn_v.weight', 'none'],
        ['self_attn.q_norm.weight', 'attn_q_norm.weight', plusOne],
        ['self_attn.k_norm.weight', 'attn_k_norm.weight', plusOne],
        ['self_attn.o_proj.weight', 'attn_output.weight', 'none'],
        ['post_attention_layernorm.weight', 'post_attention_norm.weight', plusOne],
        ['pre_feedforward_layernorm.weight', 'ffn_norm.weight', plusOne],
        ['mlp.gate_proj.weight', 'ffn_gate.weight', 'none'],
        ['mlp.up_proj.weight', 'ffn_up.weight', 'none'],
        ['mlp.down_proj.weight', 'ffn_down.weight', 'none'],
        ['post_feedforward_layernorm.weight', 'post_ffw_norm.weight', plusOne],
      ],
      [
        { hfName: 'model.norm.weight', ggufName: 'output_norm.weight', transform: plusOne },
        ...(cfg.tiedEmbeddings
          ? []
          : [{ hfName: 'lm_head.weight', ggufName: 'output.weight', transform: 'none' as const }]),
      ],
    )
  }
  const cfg = phi3Checked(config)
  return layered(
    cfg,
    [{ hfName: 'model.embed_tokens.weight', ggufName: 'token_embd.weight', transform: 'none' }],
    [
      ['input_layernorm.weight', 'attn_norm.weight', 'none'],
      ['self_attn.qkv_proj.weight', 'attn_qkv.weight', 'none'],
      ['self_attn.o_proj.weight', 'attn_output.weight', 'none'],
      ['post_attention_layernorm.weight', 'ffn_norm.weight', 'none'],
      // gate then up, which llama.cpp's LLM_FFN_SWIGLU splits the same way.
      ['mlp.gate_up_proj.weight', 'ffn_up.weight', 'none'],
      ['mlp.down_proj.weight', 'ffn_down.weight', 'none'],
    ],
    [
      { hfName: 'model.norm.weight', ggufName: 'output_norm.weight', transform: 'none' },
      ...(cfg.tiedEmbeddings
        ? []
        : [{ hfName: 'lm_head.weight', ggufName: 'output.weight', transform: 'none' as const }]),
    ],
  )
}

/** Phi-3's longrope factors, as the converter's rope_factors_long/short tensors. */
export function recentExtraTensors(
  arch: 'gemma3' | 'phi3',
  config: HfConfig,
): { name: string; data: Float32Array }[] {
  if (arch !== 'phi3') return []
  const s = parseConfig(config).ropeScaling
  if (s.type !== 'longrope') return []
  return [
    { name: 'rope_factors_long.weight', data: Float32Array.from(s.longFactor) },
    { name: 'rope_factors_short.weight', data: Float32Array.from(s.shortFactor) },
  ]
}

export function recentMetadata(arch: 'gemma3' | 'phi3', config: HfConfig): [string, GgufValue][] {
  const common = (cfg: ArchConfig): [string, GgufValue][] => [
    [`${arch}.context_length`, gguf.u32(cfg.contextLength)],
    [`${arch}.embedding_length`, gguf.u32(cfg.hiddenSize)],
    [`${arch}.block_count`, gguf.u32(cfg.numLayers)],
    [`${arch}.feed_forward_length`, gguf.u32(cfg.intermediateSize)],
    [`${arch}.attention.head_count`, gguf.u32(cfg.numHeads)],
    [`${arch}.attention.head_count_kv`, gguf.u32(cfg.numKvHeads)],
    [`${arch}.attention.layer_norm_rms_epsilon`, gguf.f32(cfg.normEps)],
    [`${arch}.rope.freq_base`, gguf.f32(cfg.ropeTheta)],
  ]
  if (arch === 'gemma3') {
    const { cfg, period } = gemma3Checked(config)
    const out = common(cfg)
    out.push([`${arch}.attention.key_length`, gguf.u32(cfg.headDim)])
    out.push([`${arch}.attention.value_length`, gguf.u32(cfg.headDim)])
    if (period !== undefined) {
      out.push([`${arch}.attention.sliding_window`, gguf.u32(cfg.slidingWindow)])
      // The converter leaves these out for Gemma 3's own values, which llama.cpp assumes;
      // any other value is written under the keys llama.cpp's gemma3 loader reads.
      if (period !== GEMMA3_SWA_PERIOD) {
        out.push([`${arch}.attention.sliding_window_pattern`, gguf.u32(period)])
      }
      if (cfg.localRopeTheta !== GEMMA3_LOCAL_ROPE_BASE) {
        out.push([`${arch}.rope.freq_base_swa`, gguf.f32(cfg.localRopeTheta)])
      }
    }
    if (cfg.finalSoftcap !== null) {
      out.push([`${arch}.final_logit_softcapping`, gguf.f32(cfg.finalSoftcap)])
    }
    if (cfg.ropeScaling.type === 'linear') {
      out.push([`${arch}.rope.scaling.type`, gguf.str('linear')])
      out.push([`${arch}.rope.scaling.factor`, gguf.f32(cfg.ropeScaling.factor)])
    }
    return out
  }
  const cfg = phi3Checked(config)
  const out = common(cfg)
  out.push([`${arch}.rope.dimension_count`, gguf.u32(cfg.rotaryDim)])
  const window = config.sliding_window
  out.push([`${arch}.attention.sliding_window`, gguf.u32(typeof window === 'number' ? window : 0)])
  const s = cfg.ropeScaling
  if (s.type === 'longrope') {
    out.push([`${arch}.rope.scaling.original_context_length`, gguf.u32(s.originalMaxPositions)])
    out.push([`${arch}.rope.scaling.attn_factor`, gguf.f32(s.attentionFactor)])
  }
  return out
}
