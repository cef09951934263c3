// The Llama family (llama, qwen2, mistral): pre-norm decoder with RMSNorm, rotary position
// embeddings, grouped-query attention and a SwiGLU MLP (HF modeling_llama.py).
import type { Value } from '../onnx'
import { type ArchConfig, type LayerType } from './config'
import { ropeCaches } from './fused'
import { attention, sequenceInputs, type SequenceInputs } from './attention'
import { GraphContext } from './common'
import { IO, scopeOf } from './graphNames'
import { logitsHead } from './logitsHead'

/**
 * RoPE (RoFormer §3.4) in HF's rotate_half layout: x·cos + rotate_half(x)·sin over each head's
 * first rotaryDim features; the rest pass through (Phi-3's partial rotary).
 */
function rotary(ctx: GraphContext, x: Value, heads: number, cos: Value, sin: Value): Value {
  const { b, cfg } = ctx
  const d = cfg.headDim
  const r = cfg.rotaryDim
  const x4 = b.reshape(x, [0, 0, heads, d])
  const x1 = b.slice(x4, [0], [r / 2], [3])
  const x2 = b.slice(x4, [r / 2], [r], [3])
  const r1 = b.sub(b.mul(x1, cos), b.mul(x2, sin))
  const r2 = b.add(b.mul(x2, cos), b.mul(x1, sin))
  const parts = r < d ? [r1, r2, b.slice(x4, [r], [d], [3])] : [r1, r2]
  return b.reshape(b.concat(parts, 3), [0, 0, heads * d])
}

/**
 * Qwen3's q_norm/k_norm: RMSNorm over each head's d features (weight [d]) of x [b, s, heads·d],
 * before RoPE. `op` is the norm node (the builder's spelled-out RMSNorm in the unfused graph,
 * so the autodiff covers it; ort's SimplifiedLayerNormalization in the fused one).
 */
export function headNorm(
  ctx: GraphContext,
  x: Value,
  heads: number,
  weight: string,
  op: (x: Value, w: Value) => Value,
): Value {
  const { b, cfg } = ctx
  const d = cfg.headDim
  const normed = op(b.reshape(x, [0, 0, heads, d]), ctx.normWeight(weight, d))
  return b.reshape(normed, [0, 0, heads * d])
}

/** q, k, v projections of layer `p`'s normed input: packed [.., (H + 2·KV)·d] when ctx.packed. */
export function qkvProjection(ctx: GraphContext, x: Value, p: string): Value[] {
  const { cfg } = ctx
  const h = cfg.hiddenSize
  const dims = { q: cfg.numHeads * cfg.headDim, k: cfg.numKvHeads * cfg.headDim }
  const parts = (['q', 'k', 'v'] as const).map((n) => ({
    weight: `${p}.self_attn.${n}_proj.weight`,
    out: n === 'q' ? dims.q : dims.k,
    bias: cfg.qkvBias ? `${p}.self_attn.${n}_proj.bias` : undefined,
  }))
  if (cfg.packedCheckpoint) {
    const out = dims.q + 2 * dims.k
    return [ctx.linear(x, `${p}.self_attn.qkv_proj.weight`, h, out, 'outIn')]
  }
  if (ctx.packed) return [ctx.linearPacked(x, `${p}.self_attn.qkv_proj`, h, parts)]
  return parts.map((q) => ctx.linear(x, q.weight, h, q.out, 'outIn', q.bias))
}

/** SwiGLU's input: gate and up projections, as one packed product when ctx.packed. */
export function gateUpProjection(ctx: GraphContext, x: Value, p: string): [Value, Value] {
  const { b, cfg } = ctx
  const h = cfg.hiddenSize
  const parts = (['gate', 'up'] as const).map((n) => ({
    weight: `${p}.mlp.${n}_proj.weight`,
    out: cfg.intermediateSize,
    bias: cfg.mlpBias ? `${p}.mlp.${n}_proj.bias` : undefined,
  }))
  if (cfg.packedCheckpoint) {
    // Phi3MLP: gate_up_proj's output is chunked into gate, then up.
    const gu = ctx.linear(x, `${p}.mlp.gate_up_proj.weight`, h, 2 * cfg.intermediateSize, 'outIn')
    const [g, u] = b.split(gu, [cfg.intermediateSize, cfg.intermediateSize], -1)
    return [g, u]
  }
  if (!ctx.packed) {
    const [g, u] = parts.map((q) => ctx.linear(x, q.weight, cfg.hiddenSize, q.out, 'outIn', q.bias))
    return [g, u]
  }
  const gu = ctx.linearPacked(x, `${p}.mlp.gate_up_proj`, cfg.hiddenSize, parts)
  const [g, u] = b.split(gu, [cfg.intermediateSize, cfg.intermediateSize], -1)
  return [g, u]
}

/** The MLP's input norm: Llama's post_attention_layernorm, Gemma's pre_feedforward_layernorm. */
export function mlpNormName(cfg: ArchConfig): string {
  return cfg.sandwichNorms ? 'pre_feedforward_layernorm' : 'post_attention_layernorm'
}

/**
 * cos/sin of the new tokens' angles per layer type (Gemma's sliding layers have their own
 * base), [seq, 1, r/2] broadcasting over [batch, seq, heads, r/2]: rows of the same tables the
 * decode graph reads (fused.ts ropeCaches: pos·inv_freq in float32 as HF, times the rope
 * type's attention factor), gathered by position. Tables rather than in-graph Cos/Sin: GPU
 * providers' sin/cos are loose (Vulkan allows 2^-11 absolute error), which moved WebGPU's
 * insides logits by ~1e-3. Longrope reads its long rows once the sequence so far outgrows
 * the pretrained context, as HF's longrope_frequency_update decides per forward call.
 */
function ropeAngles(
  ctx: GraphContext,
  seq: SequenceInputs,
): Map<LayerType, { cos: Value; sin: Value }> {
  const { b, cfg } = ctx
  const out = new Map<LayerType, { cos: Value; sin: Value }>()
  for (const type of new Set(cfg.layerTypes)) {
    const caches = ropeCaches(ctx, type)
    const rows =
      caches.longFrom === undefined
        ? seq.positions
        : b.add(
            seq.positions,
            b.where(b.greater(seq.total, b.int(caches.longFrom)), b.int(caches.longFrom), b.int(0)),
          )
    out.set(type, {
      cos: b.unsqueeze(b.gather(caches.cos, rows), [1]),
      sin: b.unsqueeze(b.gather(caches.sin, rows), [1]),
    })
  }
  return out
}

/** The unfused graph: insides (attention probabilities, hidden states) and training. */
export function buildLlamaGraph(ctx: GraphContext): void {
  const { b, cfg } = ctx
  const h = cfg.hiddenSize
  const qDim = cfg.numHeads * cfg.headDim
  const kvDim = cfg.numKvHeads * cfg.headDim
  const seq = sequenceInputs(ctx)
  const embedName = 'model.embed_tokens.weight'
  let x = seq.embeds ?? b.gather(ctx.param(embedName, [cfg.vocabSize, h]), seq.ids!)
  if (cfg.embedScale !== 1) x = b.mul(x, b.scalar(cfg.embedScale))
  const rope = ropeAngles(ctx, seq)
  const norm = (y: Value, name: string, n = h) => b.rmsNorm(y, ctx.normWeight(name, n), cfg.normEps)

  for (let i = 0; i < cfg.numLayers; i++) {
    if (ctx.opts.insides) b.output(x, IO.hidden(i))
    const p = `model.layers.${i}`
    b.setScope(scopeOf(p))
    const a = norm(x, `${p}.input_layernorm.weight`)
    const proj = qkvProjection(ctx, a, p)
    const [q0, k0, v] = proj.length === 3 ? proj : b.split(proj[0], [qDim, kvDim, kvDim], -1)
    let [q, k] = [q0, k0]
    if (cfg.qkNorm) {
      const headRms = (y: Value, w: Value) => b.rmsNorm(y, w, cfg.normEps)
      q = headNorm(ctx, q, cfg.numHeads, `${p}.self_attn.q_norm.weight`, headRms)
      k = headNorm(ctx, k, cfg.numKvHeads, `${p}.self_attn.k_norm.weight`, headRms)
    }
    if (cfg.ropeLayers[i]) {
      const { cos, sin } = rope.get(cfg.layerTypes[i])!
      q = rotary(ctx, q, cfg.numHeads, cos, sin)
      k = rotary(ctx, k, cfg.numKvHeads, cos, sin)
    }
    const attn = b.inScope(`${b.scope}/attention`, () => attention(ctx, i, q, k, v, seq))
    const oBias = cfg.oBias ? `${p}.self_attn.o_proj.bias` : undefined
    let o = ctx.linear(attn, `${p}.self_attn.o_proj.weight`, qDim, h, 'outIn', oBias)
    if (cfg.sandwichNorms) o = norm(o, `${p}.post_attention_layernorm.weight`)
    x = b.add(x, o)
    if (ctx.opts.insides) b.output(x, IO.postAttention(i))

    const m = norm(x, `${p}.${mlpNormName(cfg)}.weight`)
    const [gate, up] = gateUpProjection(ctx, m, p)
    const downBias = cfg.mlpBias ? `${p}.mlp.down_proj.bias` : undefined
    let down = ctx.linear(
      b.mul(ctx.activate(gate), up),
      `${p}.mlp.down_proj.weight`,
      cfg.intermediateSize,
      h,
      'outIn',
      downBias,
    )
    if (cfg.sandwichNorms) down = norm(down, `${p}.post_feedforward_layernorm.weight`)
    x = b.add(x, down)
  }
  b.setScope('')
  if (ctx.opts.insides) b.output(x, IO.hidden(cfg.numLayers))
  const normed = norm(x, 'model.norm.weight')
  const untied = !cfg.tiedEmbeddings && ctx.weights.has('lm_head.weight')
  logitsHead(ctx, normed, untied ? 'lm_head.weight' : embedName)
}
