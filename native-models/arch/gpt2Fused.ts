// GPT-2's plain decode graph on fused ort ops (GraphOptions.fused): per layer the c_attn
// product, attention over the input-only KV cache (cachedAttention, KV heads = heads), c_proj,
// SkipLayerNormalization (residual add + c_proj bias + ln_2), c_fc, FastGelu (with c_fc's
// bias), mlp c_proj, and SkipLayerNormalization into the next layer's ln_1.
import { GraphContext } from './common'
import { scopeOf } from './graphNames'
import { logitsHead } from './logitsHead'
import {
  cachedAttention,
  fusedInputs,
  fusedPositions,
  outputFusedRows,
  skipNorm,
  tokenEmbeddings,
} from './fused'
import { gpt2Prefix } from './gpt2'
import type { Value } from '../onnx'

export function buildFusedGpt2Graph(ctx: GraphContext): void {
  const { b, cfg } = ctx
  const h = cfg.hiddenSize
  const inner = cfg.intermediateSize
  const pre = gpt2Prefix((n) => ctx.weights.has(n))
  const seq = fusedInputs(ctx)
  const embedName = `${pre}wte.weight`
  const tok = tokenEmbeddings(ctx, seq, embedName)
  const pos = b.gather(
    ctx.param(`${pre}wpe.weight`, [cfg.contextLength, h]),
    fusedPositions(ctx, seq),
  )
  const vec = (name: string) => ctx.param(name, [h])
  const ln = (i: number, which: string): [Value, Value] =>
    i < cfg.numLayers
      ? [vec(`${pre}h.${i}.${which}.weight`), vec(`${pre}h.${i}.${which}.bias`)]
      : [vec(`${pre}ln_f.weight`), vec(`${pre}ln_f.bias`)]

  let residual = b.add(tok, pos)
  const [g0, b0] = ln(0, 'ln_1')
  let normed = b.layerNorm(residual, g0, b0, cfg.normEps)
  for (let i = 0; i < cfg.numLayers; i++) {
    const p = `${pre}h.${i}`
    b.setScope(scopeOf(p))
    const qkv = ctx.linear(
      normed,
      `${p}.attn.c_attn.weight`,
      h,
      3 * h,
      'inOut',
      `${p}.attn.c_attn.bias`,
    )
    const attn = b.inScope(`${b.scope}/attention`, () => cachedAttention(ctx, i, qkv, seq))
    const o = ctx.linear(attn, `${p}.attn.c_proj.weight`, h, h, 'inOut')
    ;[normed, residual] = skipNorm(ctx, o, residual, ln(i, 'ln_2'), vec(`${p}.attn.c_proj.bias`))

    const fc = ctx.linear(normed, `${p}.mlp.c_fc.weight`, h, inner, 'inOut')
    const fcBias = ctx.param(`${p}.mlp.c_fc.bias`, [inner])
    // gelu_new (tanh approximation) is com.microsoft FastGelu, bias included; other GPT-2
    // family members use the exact erf GELU.
    const act =
      cfg.modelType === 'gpt2'
        ? b.op('FastGelu', [fc, fcBias], {}, { domain: 'com.microsoft' })[0]
        : b.gelu(b.add(fc, fcBias))
    const down = ctx.linear(act, `${p}.mlp.c_proj.weight`, inner, h, 'inOut')
    const last = i === cfg.numLayers - 1
    ;[normed, residual] = skipNorm(
      ctx,
      down,
      residual,
      ln(i + 1, 'ln_1'),
      vec(`${p}.mlp.c_proj.bias`),
      !last,
    )
  }
  b.setScope('')
  logitsHead(ctx, normed, embedName)
  outputFusedRows(ctx, seq)
}
