// GPT-2 (HF modeling_gpt2.py): learned position embeddings, pre-LayerNorm blocks, fused
// c_attn projection stored as Conv1D [in, out], GELU (tanh approximation) MLP, tied head.
import { attention, sequenceInputs } from './attention'
import { GraphContext } from './common'
import { IO, scopeOf } from './graphNames'
import { logitsHead } from './logitsHead'

/** GPT2LMHeadModel checkpoints prefix names with "transformer."; GPT2Model ones do not. */
export function gpt2Prefix(has: (name: string) => boolean): string {
  return has('transformer.wte.weight') ? 'transformer.' : ''
}

export function buildGpt2Graph(ctx: GraphContext): void {
  const { b, cfg } = ctx
  const h = cfg.hiddenSize
  const pre = gpt2Prefix((n) => ctx.weights.has(n))
  const seq = sequenceInputs(ctx)
  const embedName = `${pre}wte.weight`
  const tok = seq.embeds ?? b.gather(ctx.param(embedName, [cfg.vocabSize, h]), seq.ids!)
  const pos = b.gather(ctx.param(`${pre}wpe.weight`, [cfg.contextLength, h]), seq.positions)
  let x = b.add(tok, pos)
  for (let i = 0; i < cfg.numLayers; i++) {
    if (ctx.opts.insides) b.output(x, IO.hidden(i))
    const p = `${pre}h.${i}`
    b.setScope(scopeOf(p))
    const ln1 = b.layerNorm(
      x,
      ctx.param(`${p}.ln_1.weight`, [h]),
      ctx.param(`${p}.ln_1.bias`, [h]),
      cfg.normEps,
    )
    const qkv = ctx.linear(
      ln1,
      `${p}.attn.c_attn.weight`,
      h,
      3 * h,
      'inOut',
      `${p}.attn.c_attn.bias`,
    )
    // One Split for training: its gradient is one Concat, where three Slices' were three
    // Pads to the full width summed by two Adds.
    const [q, k, v] = ctx.forTraining
      ? b.split(qkv, [h, h, h], 2)
      : [0, 1, 2].map((i) => b.slice(qkv, [i * h], [(i + 1) * h], [2]))
    const attn = b.inScope(`${b.scope}/attention`, () => attention(ctx, i, q, k, v, seq))
    x = b.add(
      x,
      ctx.linear(attn, `${p}.attn.c_proj.weight`, h, h, 'inOut', `${p}.attn.c_proj.bias`),
    )
    if (ctx.opts.insides) b.output(x, IO.postAttention(i))
    const ln2 = b.layerNorm(
      x,
      ctx.param(`${p}.ln_2.weight`, [h]),
      ctx.param(`${p}.ln_2.bias`, [h]),
      cfg.normEps,
    )
    const fc = ctx.linear(
      ln2,
      `${p}.mlp.c_fc.weight`,
      h,
      cfg.intermediateSize,
      'inOut',
      `${p}.mlp.c_fc.bias`,
    )
    const act = cfg.modelType === 'gpt2' ? ctx.geluTanh(fc) : b.gelu(fc)
    x = b.add(
      x,
      ctx.linear(
        act,
        `${p}.mlp.c_proj.weight`,
        cfg.intermediateSize,
        h,
        'inOut',
        `${p}.mlp.c_proj.bias`,
      ),
    )
  }
  b.setScope('')
  if (ctx.opts.insides) b.output(x, IO.hidden(cfg.numLayers))
  const normed = b.layerNorm(
    x,
    ctx.param(`${pre}ln_f.weight`, [h]),
    ctx.param(`${pre}ln_f.bias`, [h]),
    cfg.normEps,
  )
  logitsHead(ctx, normed, embedName)
}
