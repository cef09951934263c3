// Tests only: a tiny Llama with random weights and a slow, obvious forward pass in HF's
// conventions (rotate_half RoPE, GQA, SwiGLU, RMSNorm), so GGUF export can be checked
// against llama.cpp without any other Glassbox code.

import type { HfConfig, HfModelSource } from './hfToGguf'
import type { HfTokenizerJson } from './tokenizerMetadata'

export function seededNormals(seed: number) {
  let s = seed >>> 0
  const uniform = () => ((s = (s * 1664525 + 1013904223) >>> 0) + 0.5) / 2 ** 32
  return (n: number, scale: number, offset = 0) =>
    Float32Array.from(
      { length: n },
      () =>
        offset + scale * Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform()),
    )
}

/** GPT-2's bytes_to_unicode: the 256 printable stand-ins byte-level BPE vocabularies use. */
export function byteLevelAlphabet(): string[] {
  const printable = (b: number) =>
    (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255)
  const out: string[] = []
  let extra = 0
  for (let b = 0; b < 256; b++) out.push(String.fromCodePoint(printable(b) ? b : 256 + extra++))
  return out
}

/** A real byte-level BPE tokenizer.json: 256 byte tokens, `merges` merged ones, one special. */
export function tinyTokenizer(merges: number): HfTokenizerJson {
  const bytes = byteLevelAlphabet()
  const vocab: Record<string, number> = {}
  bytes.forEach((t, i) => (vocab[t] = i))
  const letters = 'abcdefghijklmnopqrstuvwxyz'
  const mergeList: string[] = []
  for (let i = 0; mergeList.length < merges; i++) {
    const pair = [letters[i % 26], letters[Math.floor(i / 26) % 26]]
    if (vocab[pair.join('')] !== undefined) continue
    vocab[pair.join('')] = 256 + mergeList.length
    mergeList.push(pair.join(' '))
  }
  const eos = 256 + merges
  return {
    model: { type: 'BPE', vocab, merges: mergeList },
    added_tokens: [{ id: eos, content: '<|endoftext|>', special: true }],
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, use_regex: true },
  }
}

export interface TinyLlama {
  source: HfModelSource
  weights: Map<string, Float32Array>
  config: HfConfig
}

/** `wide`: hidden 256 and intermediate 512, so every matrix row fits K-quant blocks of 256. */
export function tinyLlama(seed = 1, wide = false): TinyLlama {
  const config = {
    model_type: 'llama',
    vocab_size: 288,
    hidden_size: wide ? 256 : 64,
    intermediate_size: wide ? 512 : 128,
    num_hidden_layers: 2,
    num_attention_heads: 4,
    num_key_value_heads: 2,
    max_position_embeddings: 256,
    rms_norm_eps: 1e-5,
    rope_theta: 10000,
    tie_word_embeddings: false,
    bos_token_id: 287,
    eos_token_id: 287,
  }
  const rand = seededNormals(seed)
  const { hidden_size: d, intermediate_size: f, vocab_size: v } = config
  const kv = (d / config.num_attention_heads) * config.num_key_value_heads
  const shapes = new Map<string, number[]>([['model.embed_tokens.weight', [v, d]]])
  for (let i = 0; i < config.num_hidden_layers; i++) {
    const p = `model.layers.${i}.`
    shapes.set(p + 'input_layernorm.weight', [d])
    shapes.set(p + 'post_attention_layernorm.weight', [d])
    shapes.set(p + 'self_attn.q_proj.weight', [d, d])
    shapes.set(p + 'self_attn.k_proj.weight', [kv, d])
    shapes.set(p + 'self_attn.v_proj.weight', [kv, d])
    shapes.set(p + 'self_attn.o_proj.weight', [d, d])
    shapes.set(p + 'mlp.gate_proj.weight', [f, d])
    shapes.set(p + 'mlp.up_proj.weight', [f, d])
    shapes.set(p + 'mlp.down_proj.weight', [d, f])
  }
  shapes.set('model.norm.weight', [d])
  shapes.set('lm_head.weight', [v, d])
  const weights = new Map<string, Float32Array>()
  for (const [name, shape] of shapes) {
    const n = shape.reduce((a, b) => a * b, 1)
    // Norm weights near 1; matrices scaled so activations stay O(1) and logits decisive.
    weights.set(name, shape.length === 1 ? rand(n, 0.1, 1) : rand(n, 1 / Math.sqrt(shape[1])))
  }
  const source: HfModelSource = {
    config,
    shapes,
    read: (name) => weights.get(name)!,
    tokenizer: tinyTokenizer(v - 257),
    name: 'tiny-llama',
  }
  return { source, weights, config }
}

const matVec = (w: Float32Array, x: Float32Array, rows: number) => {
  const cols = x.length
  const out = new Float32Array(rows)
  for (let r = 0; r < rows; r++) {
    let s = 0
    for (let c = 0; c < cols; c++) s += w[r * cols + c] * x[c]
    out[r] = s
  }
  return out
}

const rmsNorm = (x: Float32Array, w: Float32Array, eps: number) => {
  let ss = 0
  for (const v of x) ss += v * v
  const scale = 1 / Math.sqrt(ss / x.length + eps)
  return x.map((v, i) => v * scale * w[i])
}

/** HF apply_rotary_pos_emb with rotate_half: dimension i pairs with i + headDim / 2. */
function rope(v: Float32Array, heads: number, pos: number, theta: number): void {
  const hd = v.length / heads
  for (let h = 0; h < heads; h++) {
    for (let i = 0; i < hd / 2; i++) {
      const angle = pos * theta ** ((-2 * i) / hd)
      const [a, b] = [v[h * hd + i], v[h * hd + i + hd / 2]]
      v[h * hd + i] = a * Math.cos(angle) - b * Math.sin(angle)
      v[h * hd + i + hd / 2] = b * Math.cos(angle) + a * Math.sin(angle)
    }
  }
}

/** Logits for every position of `tokens`. */
export function referenceLogits(model: TinyLlama, tokens: number[]): Float32Array[] {
  const c = model.config as Record<string, number>
  const w = (n: string) => model.weights.get(n)!
  const d = c.hidden_size
  const heads = c.num_attention_heads
  const kvHeads = c.num_key_value_heads
  const hd = d / heads
  const xs = tokens.map((t) => w('model.embed_tokens.weight').slice(t * d, (t + 1) * d))
  for (let l = 0; l < c.num_hidden_layers; l++) {
    const p = `model.layers.${l}.`
    const qs: Float32Array[] = []
    const ks: Float32Array[] = []
    const vs: Float32Array[] = []
    xs.forEach((x, pos) => {
      const h = rmsNorm(x, w(p + 'input_layernorm.weight'), c.rms_norm_eps)
      const q = matVec(w(p + 'self_attn.q_proj.weight'), h, d)
      const k = matVec(w(p + 'self_attn.k_proj.weight'), h, kvHeads * hd)
      rope(q, heads, pos, c.rope_theta)
      rope(k, kvHeads, pos, c.rope_theta)
      qs.push(q)
      ks.push(k)
      vs.push(matVec(w(p + 'self_attn.v_proj.weight'), h, kvHeads * hd))
    })
    xs.forEach((x, pos) => {
      const attn = new Float32Array(d)
      for (let h = 0; h < heads; h++) {
        const g = Math.floor(h / (heads / kvHeads))
        const scores = ks.slice(0, pos + 1).map((k) => {
          let s = 0
          for (let i = 0; i < hd; i++) s += qs[pos][h * hd + i] * k[g * hd + i]
          return s / Math.sqrt(hd)
        })
        const max = Math.max(...scores)
        const e = scores.map((s) => Math.exp(s - max))
        const sum = e.reduce((a, b) => a + b, 0)
        e.forEach((p, j) => {
          for (let i = 0; i < hd; i++) attn[h * hd + i] += (p / sum) * vs[j][g * hd + i]
        })
      }
      const o = matVec(w(p + 'self_attn.o_proj.weight'), attn, d)
      for (let i = 0; i < d; i++) x[i] += o[i]
      const h2 = rmsNorm(x, w(p + 'post_attention_layernorm.weight'), c.rms_norm_eps)
      const gate = matVec(w(p + 'mlp.gate_proj.weight'), h2, c.intermediate_size)
      const up = matVec(w(p + 'mlp.up_proj.weight'), h2, c.intermediate_size)
      const act = gate.map((g, i) => (g / (1 + Math.exp(-g))) * up[i])
      const down = matVec(w(p + 'mlp.down_proj.weight'), act, d)
      for (let i = 0; i < d; i++) x[i] += down[i]
    })
  }
  return xs.map((x) =>
    matVec(w('lm_head.weight'), rmsNorm(x, w('model.norm.weight'), c.rms_norm_eps), c.vocab_size),
  )
}

export function referenceGreedy(model: TinyLlama, prompt: number[], count: number): number[] {
  const tokens = [...prompt]
  for (let i = 0; i < count; i++) {
    const logits = referenceLogits(model, tokens).at(-1)!
    tokens.push(logits.indexOf(Math.max(...logits)))
  }
  return tokens.slice(prompt.length)
}
