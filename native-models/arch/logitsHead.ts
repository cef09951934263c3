// The head every graph ends in: the last rows' logits and, fused, their summary.
import { MS_DOMAIN, attr, type Value } from '../onnx'
import { IO, type GraphContext } from './common'

/** Logits of the last `num_logits` positions: final hidden [b, s, h] → [b, n, vocab]. */
export function logitsHead(ctx: GraphContext, normed: Value, headName: string): void {
  const { b, cfg } = ctx
  const lastN = b.input(IO.lastN, 'int64', [1])
  const sel = b.op('Slice', [
    normed,
    b.neg(lastN),
    b.ints([Number.MAX_SAFE_INTEGER]),
    b.ints([1]),
  ])[0]
  let logits: Value
  // A GGUF head (often the tied embedding) runs from its blocks; the Gather keeps reading
  // the float32 table, of which a lookup touches only its rows.
  const stored = ctx.storedLinear(sel, headName, cfg.hiddenSize, cfg.vocabSize)
  if (stored) {
    logits = stored
  } else if ((ctx.opts.quantization ?? 'none') !== 'none') {
    logits = ctx.linear(sel, headName, cfg.hiddenSize, cfg.vocabSize, 'outIn')
  } else {
    // The head reads the [vocab, hidden] matrix as stored (transB), so a tied head shares
    // the embedding initializer instead of holding a transposed copy.
    const head = ctx.b.values.get(headName) ?? ctx.param(headName, [cfg.vocabSize, cfg.hiddenSize])
    if (ctx.fusedOps) {
      // com.microsoft FusedMatMul takes [b, n, h] as it is: one node instead of five.
      logits = b.op('FusedMatMul', [sel, head], { transB: attr.int(1) }, { domain: MS_DOMAIN })[0]
    } else {
      // Gemm (2-D only) keeps the training graphs within the autodiff's rules.
      const flat = b.reshape(sel, [-1, cfg.hiddenSize])
      const gemm = b.op('Gemm', [flat, head], { transB: attr.int(1) })[0]
      const outShape = b.concat([b.shape(sel, 0, 2), b.ints([cfg.vocabSize])], 0)
      logits = b.reshape(gemm, outShape)
    }
  }
  logits = ctx.softcap(logits, cfg.finalSoftcap)
  b.output(logits, IO.logits)
  if (ctx.fusedOps) logitSummary(ctx, logits)
}

/** The largest logits kept per row by the fused graph's summary (IO.topLogits). */
export const LOGIT_SUMMARY_K = 64

function logitSummary(ctx: GraphContext, logits: Value): void {
  const { b, cfg } = ctx
  const k = Math.min(LOGIT_SUMMARY_K, cfg.vocabSize)
  const [values, ids] = b.op(
    'TopK',
    [logits, b.ints([k])],
    { axis: attr.int(-1), largest: attr.int(1), sorted: attr.int(1) },
    { outputs: 2, dtypes: ['float32', 'int64'] },
  )
  b.output(values, IO.topLogits)
  b.output(ids, IO.topIds)
  // The best logit is the top value: a stable log-sum-exp without a ReduceMax pass.
  const max = b.slice(values, [0], [1], [-1])
  const sum = b.reduceSum(b.exp(b.sub(logits, max)), [-1])
  b.output(b.add(max, b.log(sum)), IO.logSumExp)
}
