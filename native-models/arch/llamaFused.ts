// The Llama family's plain decode graph on fused ort ops (GraphOptions.fused): per layer
// SkipSimplifiedLayerNormalization ×2, one packed q/k/v product, RotaryEmbedding, attention
// over the input-only KV cache (cachedAttention), o_proj, one packed gate/up product, SwiGLU, down_proj — about ten nodes where
// the unfused graph (llama.ts, kept for insides and training) has about fifty.
import type { Value } from '../onnx'
import type { GraphContext } from './common'
import { scopeOf } from './graphNames'
import { logitsHead } from './logitsHead'
import {
  cachedAttention,
  fusedInputs,
  outputFusedRows,
  rmsNormOp,
  ropeCaches,
  skipNorm,
  tokenEmbeddings,
} from './fused'
import { gateUpProjection, headNorm, mlpNormName, qkvProjection } from './llama'

export function buildFusedLlamaGraph(ctx: GraphContext): void {
  const { b, cfg } = ctx
  const h = cfg.hiddenSize
  const qDim = cfg.numHeads * cfg.headDim
  const seq = fusedInputs(ctx)
  const embedName = 'model.embed_tokens.weight'
  const rope = new Map([...new Set(cfg.layerTypes)].map((t) => [t, ropeCaches(ctx, t)]))
  const bias = (name: string, on: boolean, n: number) => (on ? ctx.param(name, [n]) : null)
  const norm = (i: number, which: string) =>
    ctx.normWeight(i < cfg.numLayers ? `model.layers.${i}.${which}.weight` : 'model.norm.weight', h)
  // Gemma norms the attention and MLP outputs before their residual add.
  const outputNorm = (y: Value, i: number, which: string) =>
    cfg.sandwichNorms ? rmsNormOp(ctx, y, norm(i, which)) : y

  // `residual` is the stream x; `normed` the next norm's output. Each residual add rides in
  // the following SkipSimplifiedLayerNormalization (its sum output is the new x), and a
  // down/o_proj bias rides there too.
  let residual = tokenEmbeddings(ctx, seq, embedName)
  if (cfg.embedScale !== 1) residual = b.mul(residual, b.scalar(cfg.embedScale))
  let normed = rmsNormOp(ctx, residual, norm(0, 'input_layernorm'))
  for (let i = 0; i < cfg.numLayers; i++) {
    const p = `model.layers.${i}`
    b.setScope(scopeOf(p))
    let [qkv] = qkvProjection(ctx, normed, p)
    if (cfg.qkNorm) {
      // Qwen3 normalizes each head's q and k before RoPE, so the packed product is split
      // for the two norms and joined again for RotaryEmbedding.
      const kvDim = cfg.numKvHeads * cfg.headDim
      const [q, k, v] = b.split(qkv, [qDim, kvDim, kvDim], -1)
      const norm = (y: Value, w: Value) => rmsNormOp(ctx, y, w)
      qkv = b.concat(
        [
          headNorm(ctx, q, cfg.numHeads, `${p}.self_attn.q_norm.weight`, norm),
          headNorm(ctx, k, cfg.numKvHeads, `${p}.self_attn.k_norm.weight`, norm),
          v,
        ],
        -1,
      )
    }
    const layerRope = cfg.ropeLayers[i] ? rope.get(cfg.layerTypes[i]) : undefined
    const attn = b.inScope(`${b.scope}/attention`, () =>
      cachedAttention(ctx, i, qkv, seq, layerRope),
    )
    let o = ctx.linear(attn, `${p}.self_attn.o_proj.weight`, qDim, h, 'outIn')
    let oBias = bias(`${p}.self_attn.o_proj.bias`, cfg.oBias, h)
    if (cfg.sandwichNorms && oBias) [o, oBias] = [b.add(o, oBias), null]
    o = outputNorm(o, i, 'post_attention_layernorm')
    ;[normed, residual] = skipNorm(ctx, o, residual, [norm(i, mlpNormName(cfg))], oBias)

    const [gate, up] = gateUpProjection(ctx, normed, p)
    const down = outputNorm(
      ctx.linear(
        b.mul(ctx.activate(gate), up),
        `${p}.mlp.down_proj.weight`,
        cfg.intermediateSize,
        h,
        'outIn',
      ),
      i,
      'post_feedforward_layernorm',
    )
    // Gemma has no MLP biases, so the bias never needs adding before its output norm.
    const downBias = bias(`${p}.mlp.down_proj.bias`, cfg.mlpBias, h)
    const last = i === cfg.numLayers - 1
    ;[normed, residual] = skipNorm(
      ctx,
      down,
      residual,
      [norm(i + 1, 'input_layernorm')],
      downBias,
      !last,
    )
  }
  b.setScope('')
  const untied = !cfg.tiedEmbeddings && ctx.weights.has('lm_head.weight')
  logitsHead(ctx, normed, untied ? 'lm_head.weight' : embedName)
  outputFusedRows(ctx, seq)
}
