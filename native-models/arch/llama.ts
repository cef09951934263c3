// The Llama family (llama, qwen2, mistral): pre-norm decoder with RMSNorm, rotary position
// embeddings, grouped-query attention and a SwiGLU MLP (HF modeling_llama.py).
import type { Value } from '../onnx'
import { ropeInvFreq } from './config'
import { GraphContext, IO, attention, logitsHead, sequenceInputs } from './common'

/** RoPE (RoFormer §3.4) in HF's rotate_half layout: x·cos + rotate_half(x)·sin. */
function rotary(ctx: GraphContext, x: Value, heads: number, cos: Value, sin: Value): Value {
  const { b, cfg } = ctx
  const d = cfg.headDim
  const x4 = b.reshape(x, [0, 0, heads, d])
  const x1 = b.slice(x4, [0], [d / 2], [3])
  const x2 = b.slice(x4, [d / 2], [d], [3])
  const r1 = b.sub(b.mul(x1, cos), b.mul(x2, sin))
  const r2 = b.add(b.mul(x2, cos), b.mul(x1, sin))
  return b.reshape(b.concat([r1, r2], 3), [0, 0, heads * d])
}

export function buildLlamaGraph(ctx: GraphContext): void {
  const { b, cfg } = ctx
  const h = cfg.hiddenSize
  const qDim = cfg.numHeads * cfg.headDim
  const kvDim = cfg.numKvHeads * cfg.headDim
  const seq = sequenceInputs(ctx)
  const embedName = 'model.embed_tokens.weight'
  let x = b.gather(ctx.param(embedName, [cfg.vocabSize, h]), seq.ids)

  // Angles pos·inv_freq in float32 as HF's LlamaRotaryEmbedding; [seq, 1, d/2] broadcasts
  // over [batch, seq, heads, d/2].
  const invFreq = b.initializer(
    'rope.inv_freq',
    'float32',
    [1, cfg.headDim / 2],
    Float32Array.from(ropeInvFreq(cfg)),
  )
  const angles = b.unsqueeze(
    b.mul(b.unsqueeze(b.cast(seq.positions, 'float32'), [1]), invFreq),
    [1],
  )
  const cos = b.op('Cos', [angles])[0]
  const sin = b.op('Sin', [angles])[0]

  for (let i = 0; i < cfg.numLayers; i++) {
    if (ctx.opts.insides) b.output(x, IO.hidden(i))
    const p = `model.layers.${i}`
    const a = b.rmsNorm(x, ctx.param(`${p}.input_layernorm.weight`, [h]), cfg.normEps)
    const bias = (n: string) => (cfg.qkvBias ? `${p}.self_attn.${n}.bias` : undefined)
    const q = rotary(
      ctx,
      ctx.linear(a, `${p}.self_attn.q_proj.weight`, h, qDim, 'outIn', bias('q_proj')),
      cfg.numHeads,
      cos,
      sin,
    )
    const k = rotary(
      ctx,
      ctx.linear(a, `${p}.self_attn.k_proj.weight`, h, kvDim, 'outIn', bias('k_proj')),
      cfg.numKvHeads,
      cos,
      sin,
    )
    const v = ctx.linear(a, `${p}.self_attn.v_proj.weight`, h, kvDim, 'outIn', bias('v_proj'))
    const attn = attention(ctx, i, q, k, v, seq)
    const oBias = cfg.oBias ? `${p}.self_attn.o_proj.bias` : undefined
    x = b.add(x, ctx.linear(attn, `${p}.self_attn.o_proj.weight`, qDim, h, 'outIn', oBias))

    const m = b.rmsNorm(x, ctx.param(`${p}.post_attention_layernorm.weight`, [h]), cfg.normEps)
    const mlpBias = (n: string) => (cfg.mlpBias ? `${p}.mlp.${n}.bias` : undefined)
    const gate = ctx.linear(
      m,
      `${p}.mlp.gate_proj.weight`,
      h,
      cfg.intermediateSize,
      'outIn',
      mlpBias('gate_proj'),
    )
    const up = ctx.linear(
      m,
      `${p}.mlp.up_proj.weight`,
      h,
      cfg.intermediateSize,
      'outIn',
      mlpBias('up_proj'),
    )
    const down = ctx.linear(
      b.mul(b.silu(gate), up),
      `${p}.mlp.down_proj.weight`,
      cfg.intermediateSize,
      h,
      'outIn',
      mlpBias('down_proj'),
    )
    x = b.add(x, down)
  }
  if (ctx.opts.insides) b.output(x, IO.hidden(cfg.numLayers))
  const normed = b.rmsNorm(x, ctx.param('model.norm.weight', [h]), cfg.normEps)
  const untied = !cfg.tiedEmbeddings && ctx.weights.has('lm_head.weight')
  logitsHead(ctx, normed, untied ? 'lm_head.weight' : embedName)
}
