// A slow, plain-TypeScript forward pass for tests only. It follows Hugging Face
// transformers' modeling_gpt2.py, modeling_llama.py and modeling_qwen2.py directly (its own
// config reading, weight layouts, RoPE and repeat_kv; modeling_qwen3.py's q/k norms), never the graph builder, so that the
// two cannot share a mistake. Float64 throughout.

import { gemma3Forward } from './gemma3'
import { applyRope, referenceRope } from './rope'

type Json = Record<string, unknown>
export type GetWeight = (name: string) => Float32Array

export interface ReferenceOutput {
  /** [position] → vocab */
  logits: Float64Array[]
  /** [layer] → heads × q × k */
  attentions: Float64Array[]
  /** [0..L] → position × hidden (0 = embeddings, L = before the final norm) */
  hidden: Float64Array[]
}

/** y[out] = W[out, in] · x + b (nn.Linear). */
export function linear(
  x: Float64Array,
  w: Float32Array,
  b: Float32Array | null,
  outF: number,
): Float64Array {
  const inF = x.length
  const y = new Float64Array(outF)
  for (let o = 0; o < outF; o++) {
    let s = b ? b[o] : 0
    for (let i = 0; i < inF; i++) s += w[o * inF + i] * x[i]
    y[o] = s
  }
  return y
}

/** y[out] = x · W[in, out] + b (GPT-2's Conv1D). */
function conv1d(x: Float64Array, w: Float32Array, b: Float32Array, outF: number): Float64Array {
  const y = Float64Array.from(b)
  for (let i = 0; i < x.length; i++) for (let o = 0; o < outF; o++) y[o] += x[i] * w[i * outF + o]
  return y
}

function layerNorm(x: Float64Array, w: Float32Array, b: Float32Array, eps: number): Float64Array {
  const n = x.length
  const mean = x.reduce((a, v) => a + v, 0) / n
  const variance = x.reduce((a, v) => a + (v - mean) ** 2, 0) / n
  return x.map((v, i) => ((v - mean) / Math.sqrt(variance + eps)) * w[i] + b[i])
}

/** LlamaRMSNorm: weight · x / sqrt(mean(x²) + eps). */
function rmsNorm(x: Float64Array, w: Float32Array, eps: number): Float64Array {
  const ms = x.reduce((a, v) => a + v * v, 0) / x.length
  const inv = 1 / Math.sqrt(ms + eps)
  return x.map((v, i) => w[i] * v * inv)
}

export function softmaxInPlace(row: Float64Array, upTo: number): void {
  let max = -Infinity
  for (let j = 0; j < upTo; j++) max = Math.max(max, row[j])
  let sum = 0
  for (let j = 0; j < upTo; j++) sum += row[j] = Math.exp(row[j] - max)
  for (let j = 0; j < row.length; j++) row[j] = j < upTo ? row[j] / sum : 0
}

/**
 * Causal attention for one layer. q: [pos][H·d], k/v: [pos][KV·d]. Query head h reads KV head
 * floor(h / (H/KV)) (repeat_kv expands each KV head n_rep times, consecutively).
 */
function causalAttention(
  q: Float64Array[],
  k: Float64Array[],
  v: Float64Array[],
  H: number,
  KV: number,
  d: number,
  probsOut: Float64Array,
  window = Infinity,
): Float64Array[] {
  const T = q.length
  const nRep = H / KV
  const out = q.map(() => new Float64Array(H * d))
  const scale = 1 / Math.sqrt(d)
  for (let h = 0; h < H; h++) {
    const kvh = Math.floor(h / nRep)
    for (let i = 0; i < T; i++) {
      const row = new Float64Array(T).fill(-Infinity)
      // Sliding window (masking_utils' sliding_window_overlay): kv_idx > q_idx − window.
      for (let j = Math.max(0, i - window + 1); j <= i; j++) {
        let s = 0
        for (let c = 0; c < d; c++) s += q[i][h * d + c] * k[j][kvh * d + c]
        row[j] = s * scale
      }
      softmaxInPlace(row, i + 1)
      probsOut.set(row, (h * T + i) * T)
      for (let j = 0; j <= i; j++)
        if (row[j] > 0) for (let c = 0; c < d; c++) out[i][h * d + c] += row[j] * v[j][kvh * d + c]
    }
  }
  return out
}

function gpt2Forward(
  cfg: Json,
  w: GetWeight,
  ids: number[],
  has: (n: string) => boolean,
): ReferenceOutput {
  const p = has('transformer.wte.weight') ? 'transformer.' : ''
  const E = cfg.n_embd as number
  const H = cfg.n_head as number
  const L = cfg.n_layer as number
  const inner = (cfg.n_inner as number | null) ?? 4 * E
  const eps = (cfg.layer_norm_epsilon as number) ?? 1e-5
  const wte = w(`${p}wte.weight`)
  const wpe = w(`${p}wpe.weight`)
  let x = ids.map((id, pos) => {
    const v = new Float64Array(E)
    for (let i = 0; i < E; i++) v[i] = wte[id * E + i] + wpe[pos * E + i]
    return v
  })
  const hidden: Float64Array[] = []
  const attentions: Float64Array[] = []
  const flat = (rows: Float64Array[]) => {
    const f = new Float64Array(rows.length * E)
    rows.forEach((r, i) => f.set(r, i * E))
    return f
  }
  // gelu_new: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))
  const gelu = (v: number) =>
    0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3)))
  for (let l = 0; l < L; l++) {
    hidden.push(flat(x))
    const b = `${p}h.${l}`
    const qkv = x.map((r) =>
      conv1d(
        layerNorm(r, w(`${b}.ln_1.weight`), w(`${b}.ln_1.bias`), eps),
        w(`${b}.attn.c_attn.weight`),
        w(`${b}.attn.c_attn.bias`),
        3 * E,
      ),
    )
    const probs = new Float64Array(H * ids.length * ids.length)
    const a = causalAttention(
      qkv.map((r) => r.subarray(0, E)),
      qkv.map((r) => r.subarray(E, 2 * E)),
      qkv.map((r) => r.subarray(2 * E)),
      H,
      H,
      E / H,
      probs,
    )
    attentions.push(probs)
    x = x.map((r, i) => {
      const o = conv1d(a[i], w(`${b}.attn.c_proj.weight`), w(`${b}.attn.c_proj.bias`), E)
      return r.map((v, j) => v + o[j])
    })
    x = x.map((r) => {
      const hfc = conv1d(
        layerNorm(r, w(`${b}.ln_2.weight`), w(`${b}.ln_2.bias`), eps),
        w(`${b}.mlp.c_fc.weight`),
        w(`${b}.mlp.c_fc.bias`),
        inner,
      ).map(gelu)
      const o = conv1d(hfc, w(`${b}.mlp.c_proj.weight`), w(`${b}.mlp.c_proj.bias`), E)
      return r.map((v, j) => v + o[j])
    })
  }
  hidden.push(flat(x))
  const V = cfg.vocab_size as number
  const logits = x.map((r) =>
    linear(layerNorm(r, w(`${p}ln_f.weight`), w(`${p}ln_f.bias`), eps), wte, null, V),
  )
  return { logits, attentions, hidden }
}

/**
 * Phi-3's packed projections read as Llama's: Phi3Attention slices qkv_proj's output into
 * q [0, H·d), k, then v; Phi3MLP chunks gate_up_proj's into gate, then up.
 */
function phi3Weights(cfg: Json, w: GetWeight): GetWeight {
  const E = cfg.hidden_size as number
  const H = cfg.num_attention_heads as number
  const KV = (cfg.num_key_value_heads as number) ?? H
  const d = (cfg.head_dim as number) ?? E / H
  const I = cfg.intermediate_size as number
  const rows = (name: string, from: number, to: number) => w(name).subarray(from * E, to * E)
  return (name) => {
    const m = /^(model\.layers\.\d+)\.(self_attn|mlp)\.(q|k|v|gate|up)_proj\.weight$/.exec(name)
    if (!m) return w(name)
    const qkv = `${m[1]}.self_attn.qkv_proj.weight`
    const gu = `${m[1]}.mlp.gate_up_proj.weight`
    if (m[3] === 'q') return rows(qkv, 0, H * d)
    if (m[3] === 'k') return rows(qkv, H * d, (H + KV) * d)
    if (m[3] === 'v') return rows(qkv, (H + KV) * d, (H + 2 * KV) * d)
    return m[3] === 'gate' ? rows(gu, 0, I) : rows(gu, I, 2 * I)
  }
}

function llamaForward(
  cfg: Json,
  weight: GetWeight,
  ids: number[],
  hasWeight: (n: string) => boolean,
  callLength?: (pos: number) => number,
): ReferenceOutput {
  const w = cfg.model_type === 'phi3' ? phi3Weights(cfg, weight) : weight
  const E = cfg.hidden_size as number
  const H = cfg.num_attention_heads as number
  const KV = (cfg.num_key_value_heads as number) ?? H
  const qwen3 = cfg.model_type === 'qwen3'
  // Qwen3Config's head_dim defaults to 128 (configuration_qwen3.py).
  const d = (cfg.head_dim as number) ?? (qwen3 ? 128 : E / H)
  const L = cfg.num_hidden_layers as number
  const I = cfg.intermediate_size as number
  const V = cfg.vocab_size as number
  const eps = (cfg.rms_norm_eps as number) ?? 1e-6
  const qwen = cfg.model_type === 'qwen2'
  const qkvBias = qwen || cfg.attention_bias === true
  // SmolLM3Attention: use_rope = no_rope_layers[layer_idx] (default: NoPE every 4th layer).
  const interval = (cfg.no_rope_layer_interval as number) ?? 4
  const useRope = (l: number) =>
    cfg.model_type !== 'smollm3'
      ? true
      : Array.isArray(cfg.no_rope_layers)
        ? cfg.no_rope_layers[l] !== 0
        : (l + 1) % interval !== 0
  const mlpBias = cfg.mlp_bias === true
  // Phi-3: the rotary width is int(head_dim · partial_rotary_factor).
  const rotaryDim = Math.floor(d * ((cfg.partial_rotary_factor as number) ?? 1))
  // The RoPE of each position's forward call (longrope picks its factors by the call's
  // length): one call over `ids` unless the caller says how HF was called.
  const callRope = new Map<number, ReturnType<typeof referenceRope>>()
  const invAt = (pos: number) => {
    const len = callLength ? callLength(pos) : ids.length
    if (!callRope.has(len)) callRope.set(len, referenceRope(cfg, rotaryDim, len))
    return callRope.get(len)!
  }
  const phi3 = cfg.model_type === 'phi3'
  const window = phi3 && typeof cfg.sliding_window === 'number' ? cfg.sliding_window : Infinity
  const emb = w('model.embed_tokens.weight')
  let x = ids.map((id) => Float64Array.from(emb.subarray(id * E, (id + 1) * E)))
  const hidden: Float64Array[] = []
  const attentions: Float64Array[] = []
  const flat = (rows: Float64Array[]) => {
    const f = new Float64Array(rows.length * E)
    rows.forEach((r, i) => f.set(r, i * E))
    return f
  }
  const bias = (n: string, on: boolean) => (on ? w(n) : null)
  for (let l = 0; l < L; l++) {
    hidden.push(flat(x))
    const p = `model.layers.${l}`
    const rotate = useRope(l)
      ? applyRope
      : (v: Float64Array, _h: number, _d: number, _pos: number, _inv: unknown) => v
    const normed = x.map((r) => rmsNorm(r, w(`${p}.input_layernorm.weight`), eps))
    // Qwen3Attention: q_norm/k_norm (Qwen3RMSNorm over head_dim) on q_proj(x).view(…, -1,
    // head_dim), then apply_rotary_pos_emb.
    const headNorm = (x: Float64Array, heads: number, which: 'q' | 'k') => {
      if (!qwen3) return x
      const out = new Float64Array(x.length)
      const nw = w(`${p}.self_attn.${which}_norm.weight`)
      for (let h = 0; h < heads; h++)
        out.set(rmsNorm(x.subarray(h * d, (h + 1) * d), nw, eps), h * d)
      return out
    }
    const q = normed.map((r, pos) =>
      rotate(
        headNorm(
          linear(
            r,
            w(`${p}.self_attn.q_proj.weight`),
            bias(`${p}.self_attn.q_proj.bias`, qkvBias),
            H * d,
          ),
          H,
          'q',
        ),
        H,
        d,
        pos,
        invAt(pos),
      ),
    )
    const k = normed.map((r, pos) =>
      rotate(
        headNorm(
          linear(
            r,
            w(`${p}.self_attn.k_proj.weight`),
            bias(`${p}.self_attn.k_proj.bias`, qkvBias),
            KV * d,
          ),
          KV,
          'k',
        ),
        KV,
        d,
        pos,
        invAt(pos),
      ),
    )
    const v = normed.map((r) =>
      linear(
        r,
        w(`${p}.self_attn.v_proj.weight`),
        bias(`${p}.self_attn.v_proj.bias`, qkvBias),
        KV * d,
      ),
    )
    const probs = new Float64Array(H * ids.length * ids.length)
    const a = causalAttention(q, k, v, H, KV, d, probs, window)
    attentions.push(probs)
    const oBias = cfg.attention_bias === true
    x = x.map((r, i) => {
      const o = linear(
        a[i],
        w(`${p}.self_attn.o_proj.weight`),
        bias(`${p}.self_attn.o_proj.bias`, oBias),
        E,
      )
      return r.map((val, j) => val + o[j])
    })
    x = x.map((r) => {
      const m = rmsNorm(r, w(`${p}.post_attention_layernorm.weight`), eps)
      const gate = linear(
        m,
        w(`${p}.mlp.gate_proj.weight`),
        bias(`${p}.mlp.gate_proj.bias`, mlpBias),
        I,
      )
      const up = linear(m, w(`${p}.mlp.up_proj.weight`), bias(`${p}.mlp.up_proj.bias`, mlpBias), I)
      const act = gate.map((g, i) => (g / (1 + Math.exp(-g))) * up[i])
      const o = linear(
        act,
        w(`${p}.mlp.down_proj.weight`),
        bias(`${p}.mlp.down_proj.bias`, mlpBias),
        E,
      )
      return r.map((val, j) => val + o[j])
    })
  }
  hidden.push(flat(x))
  const head =
    cfg.tie_word_embeddings !== true && hasWeight('lm_head.weight') ? w('lm_head.weight') : emb
  const logits = x.map((r) => linear(rmsNorm(r, w('model.norm.weight'), eps), head, null, V))
  return { logits, attentions, hidden }
}

/**
 * `callLength(pos)`, when given, is the length (last position + 1) of the HF forward call that
 * computed position `pos` (a prefill, then one call per decoded token): longrope's factors
 * depend on it. By default all of `ids` is one call.
 */
export function referenceForward(
  configJson: Json,
  weight: GetWeight,
  ids: number[],
  hasWeight: (n: string) => boolean,
  callLength?: (pos: number) => number,
): ReferenceOutput {
  const type = configJson.model_type
  if (type === 'gpt2') return gpt2Forward(configJson, weight, ids, hasWeight)
  if (['llama', 'qwen2', 'mistral', 'qwen3', 'smollm3', 'phi3'].includes(String(type)))
    return llamaForward(configJson, weight, ids, hasWeight, callLength)
  if (type === 'gemma3_text') return gemma3Forward(configJson, weight, ids)
  throw new Error(`reference forward: model_type ${String(type)} not covered`)
}
