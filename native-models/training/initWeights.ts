import { MemoryWeights, parseConfig, type ArchConfig } from '../arch'
import { seededRandom } from './packing'

// Fresh weights for training a Llama-family model from scratch: N(0, 0.02) matrices, the
// residual output projections scaled by 1/√(2·layers) as in GPT-2 (Radford et al. 2019,
// §2.3), RMSNorm gains of 1. Tied embeddings (the LM head reads embed_tokens).

export interface LlamaShape {
  vocabSize: number
  hiddenSize: number
  layers: number
  heads: number
  kvHeads: number
  intermediateSize: number
  contextLength: number
  bosTokenId: number
  eosTokenId: number
}

export function llamaConfigJson(s: LlamaShape): Record<string, unknown> {
  return {
    architectures: ['LlamaForCausalLM'],
    model_type: 'llama',
    vocab_size: s.vocabSize,
    hidden_size: s.hiddenSize,
    intermediate_size: s.intermediateSize,
    num_hidden_layers: s.layers,
    num_attention_heads: s.heads,
    num_key_value_heads: s.kvHeads,
    head_dim: s.hiddenSize / s.heads,
    max_position_embeddings: s.contextLength,
    rms_norm_eps: 1e-5,
    rope_theta: 10000,
    tie_word_embeddings: true,
    attention_bias: false,
    mlp_bias: false,
    hidden_act: 'silu',
    bos_token_id: s.bosTokenId,
    eos_token_id: s.eosTokenId,
    torch_dtype: 'float16',
  }
}

export function initLlamaWeights(
  configJson: Record<string, unknown>,
  seed: number,
): { cfg: ArchConfig; weights: MemoryWeights } {
  const cfg = parseConfig(configJson)
  const rand = seededRandom(seed)
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand())
  const tensors = new Map<string, { shape: number[]; data: Float32Array }>()
  const matrix = (name: string, shape: number[], std: number): void => {
    const data = new Float32Array(shape[0] * shape[1])
    for (let i = 0; i < data.length; i++) data[i] = normal() * std
    tensors.set(name, { shape, data })
  }
  const ones = (name: string, n: number): void => {
    tensors.set(name, { shape: [n], data: new Float32Array(n).fill(1) })
  }
  const h = cfg.hiddenSize
  const q = cfg.numHeads * cfg.headDim
  const kv = cfg.numKvHeads * cfg.headDim
  const residual = 0.02 / Math.sqrt(2 * cfg.numLayers)
  matrix('model.embed_tokens.weight', [cfg.vocabSize, h], 0.02)
  for (let i = 0; i < cfg.numLayers; i++) {
    const p = `model.layers.${i}`
    ones(`${p}.input_layernorm.weight`, h)
    matrix(`${p}.self_attn.q_proj.weight`, [q, h], 0.02)
    matrix(`${p}.self_attn.k_proj.weight`, [kv, h], 0.02)
    matrix(`${p}.self_attn.v_proj.weight`, [kv, h], 0.02)
    matrix(`${p}.self_attn.o_proj.weight`, [h, q], residual)
    ones(`${p}.post_attention_layernorm.weight`, h)
    matrix(`${p}.mlp.gate_proj.weight`, [cfg.intermediateSize, h], 0.02)
    matrix(`${p}.mlp.up_proj.weight`, [cfg.intermediateSize, h], 0.02)
    matrix(`${p}.mlp.down_proj.weight`, [h, cfg.intermediateSize], residual)
  }
  ones('model.norm.weight', h)
  return { cfg, weights: new MemoryWeights(tensors) }
}
