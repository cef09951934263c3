// Gemma 3 text (Gemma3ForCausalLM) for the test reference, read from HF's modeling_gemma3.py
// and configuration_gemma3.py, not from our builder: scaled embeddings, Gemma3RMSNorm's
// (1 + weight), four norms per layer, q/k norms, query_pre_attn_scalar, sliding layers with
// their own RoPE base and window, GELU-tanh gate, softcapping, tied head. Float64.
import { linear, softmaxInPlace, type GetWeight, type ReferenceOutput } from './forward'
import { applyRope, referenceRope } from './rope'

type Json = Record<string, unknown>

/** Gemma3RMSNorm: x / sqrt(mean(x²) + eps) · (1 + weight). */
function gemmaNorm(x: Float64Array, w: Float32Array, eps: number): Float64Array {
  const ms = x.reduce((a, v) => a + v * v, 0) / x.length
  const inv = 1 / Math.sqrt(ms + eps)
  return x.map((v, i) => v * inv * (1 + w[i]))
}

/** gelu_pytorch_tanh. */
const gelu = (v: number) =>
  0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3)))

const softcap = (x: number, cap: number | null | undefined) =>
  typeof cap === 'number' && cap > 0 ? Math.tanh(x / cap) * cap : x

export function gemma3Forward(cfg: Json, w: GetWeight, ids: number[]): ReferenceOutput {
  const E = cfg.hidden_size as number
  const H = cfg.num_attention_heads as number
  const KV = cfg.num_key_value_heads as number
  const d = (cfg.head_dim as number) ?? 256
  const L = cfg.num_hidden_layers as number
  const I = cfg.intermediate_size as number
  const V = cfg.vocab_size as number
  const eps = (cfg.rms_norm_eps as number) ?? 1e-6
  const window = (cfg.sliding_window as number) ?? 4096
  const scaling = ((cfg.query_pre_attn_scalar as number) ?? 256) ** -0.5
  const pattern = (cfg.sliding_window_pattern as number) ?? 6
  const types =
    (cfg.layer_types as string[] | undefined) ??
    Array.from({ length: L }, (_, i) =>
      (i + 1) % pattern ? 'sliding_attention' : 'full_attention',
    )
  // Full layers: rope_theta with rope_scaling; sliding layers: rope_local_base_freq, default.
  const globalInv = referenceRope({ rope_theta: 1e6, ...cfg }, d, ids.length)
  const localInv = referenceRope(cfg, d, ids.length, (cfg.rope_local_base_freq as number) ?? 10000)
  const emb = w('model.embed_tokens.weight')
  const scale = Math.fround(Math.sqrt(E))
  let x = ids.map((id) => Float64Array.from(emb.subarray(id * E, (id + 1) * E), (v) => v * scale))
  const hidden: Float64Array[] = []
  const attentions: Float64Array[] = []
  const flat = (rows: Float64Array[]) => {
    const f = new Float64Array(rows.length * E)
    rows.forEach((r, i) => f.set(r, i * E))
    return f
  }
  const T = ids.length
  for (let l = 0; l < L; l++) {
    hidden.push(flat(x))
    const p = `model.layers.${l}`
    const sliding = types[l] === 'sliding_attention'
    const inv = sliding ? localInv : globalInv
    const headNorm = (v: Float64Array, heads: number, which: string) => {
      const nw = w(`${p}.self_attn.${which}.weight`)
      const out = new Float64Array(v.length)
      for (let h = 0; h < heads; h++)
        out.set(gemmaNorm(v.subarray(h * d, (h + 1) * d), nw, eps), h * d)
      return out
    }
    const normed = x.map((r) => gemmaNorm(r, w(`${p}.input_layernorm.weight`), eps))
    const q = normed.map((r, pos) =>
      applyRope(
        headNorm(linear(r, w(`${p}.self_attn.q_proj.weight`), null, H * d), H, 'q_norm'),
        H,
        d,
        pos,
        inv,
      ),
    )
    const k = normed.map((r, pos) =>
      applyRope(
        headNorm(linear(r, w(`${p}.self_attn.k_proj.weight`), null, KV * d), KV, 'k_norm'),
        KV,
        d,
        pos,
        inv,
      ),
    )
    const v = normed.map((r) => linear(r, w(`${p}.self_attn.v_proj.weight`), null, KV * d))
    // eager_attention_forward: scores · scaling, softcap, + mask (causal; sliding layers also
    // hide keys with kv_idx ≤ q_idx − window), softmax, · v; repeat_kv groups.
    const probs = new Float64Array(H * T * T)
    const a = q.map(() => new Float64Array(H * d))
    for (let h = 0; h < H; h++) {
      const kvh = Math.floor(h / (H / KV))
      for (let i = 0; i < T; i++) {
        const row = new Float64Array(T).fill(-Infinity)
        for (let j = 0; j <= i; j++) {
          if (sliding && j <= i - window) continue
          let s = 0
          for (let c = 0; c < d; c++) s += q[i][h * d + c] * k[j][kvh * d + c]
          row[j] = softcap(s * scaling, cfg.attn_logit_softcapping as number | null)
        }
        softmaxInPlace(row, i + 1)
        probs.set(row, (h * T + i) * T)
        for (let j = 0; j <= i; j++)
          for (let c = 0; c < d; c++) a[i][h * d + c] += row[j] * v[j][kvh * d + c]
      }
    }
    attentions.push(probs)
    x = x.map((r, i) => {
      const o = linear(a[i], w(`${p}.self_attn.o_proj.weight`), null, E)
      const n = gemmaNorm(o, w(`${p}.post_attention_layernorm.weight`), eps)
      return r.map((val, j) => val + n[j])
    })
    x = x.map((r) => {
      const m = gemmaNorm(r, w(`${p}.pre_feedforward_layernorm.weight`), eps)
      const gate = linear(m, w(`${p}.mlp.gate_proj.weight`), null, I)
      const up = linear(m, w(`${p}.mlp.up_proj.weight`), null, I)
      const o = linear(
        gate.map((g, i) => gelu(g) * up[i]),
        w(`${p}.mlp.down_proj.weight`),
        null,
        E,
      )
      const n = gemmaNorm(o, w(`${p}.post_feedforward_layernorm.weight`), eps)
      return r.map((val, j) => val + n[j])
    })
  }
  hidden.push(flat(x))
  const cap = cfg.final_logit_softcapping as number | null
  const logits = x.map((r) =>
    linear(gemmaNorm(r, w('model.norm.weight'), eps), emb, null, V).map((z) => softcap(z, cap)),
  )
  return { logits, attentions, hidden }
}
