// The head every graph ends in: the last rows' logits and, fused, their summary.
import { MS_DOMAIN, attr, type Value } from '../onnx'
import { blockRows } from '../quant/blockQuant'
import type { GraphContext } from './common'
import { IO } from './graphNames'

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
  // Its blocks in row chunks, as the float32 head's (headRows).
  const stored = ctx.storedLinear(sel, headName, cfg.hiddenSize, cfg.vocabSize, (m) =>
    rowChunks(m.n, (Math.ceil(m.k / m.blockSize) * m.blockSize * m.bits) / 8).map((c) =>
      blockRows(m, c.start, c.n),
    ),
  )
  if (stored) {
    logits = stored
  } else if ((ctx.opts.quantization ?? 'none') !== 'none') {
    logits = ctx.linear(sel, headName, cfg.hiddenSize, cfg.vocabSize, 'outIn')
  } else {
    // The head reads the [vocab, hidden] matrix as stored (transB), so a tied head shares
    // the embedding initializer instead of holding a transposed copy. Training updates the
    // head as one parameter; inference graphs read it in row chunks (headRows), unless the
    // graph's own lookup holds the table whole.
    const shared = ctx.b.values.get(headName)
    const heads = shared
      ? [shared]
      : ctx.forTraining
        ? [ctx.param(headName, [cfg.vocabSize, cfg.hiddenSize])]
        : headRows(ctx, headName)
    const joined = (parts: Value[]) => (parts.length === 1 ? parts[0] : b.concat(parts, -1))
    if (ctx.fusedOps) {
      // com.microsoft FusedMatMul takes [b, n, h] as it is: one node instead of five.
      const product = (w: Value) =>
        b.op('FusedMatMul', [sel, w], { transB: attr.int(1) }, { domain: MS_DOMAIN })[0]
      logits = joined(heads.map(product))
    } else {
      // Gemm (2-D only) keeps the training graphs within the autodiff's rules.
      const flat = b.reshape(sel, [-1, cfg.hiddenSize])
      const gemm = joined(heads.map((w) => b.op('Gemm', [flat, w], { transB: attr.int(1) })[0]))
      const outShape = b.concat([b.shape(sel, 0, 2), b.ints([cfg.vocabSize])], 0)
      logits = b.reshape(gemm, outShape)
    }
  }
  logits = ctx.softcap(logits, cfg.finalSoftcap)
  b.output(logits, IO.logits)
  if (ctx.fusedOps) logitSummary(ctx, logits)
}

/** Bytes per head chunk (headRows), rounded down to a multiple of 64 rows. */
const HEAD_CHUNK_BYTES = 32 << 20

/**
 * Consecutive row ranges of about HEAD_CHUNK_BYTES each over `total` rows. 64 rows keep a
 * float32 chunk a multiple of weights.bin's 4 KiB alignment (for a width that is a multiple
 * of 16), so the chunks lie back to back.
 */
function rowChunks(total: number, rowBytes: number): { start: number; n: number }[] {
  const rows = Math.max(64, Math.floor(HEAD_CHUNK_BYTES / rowBytes / 64) * 64)
  return Array.from({ length: Math.ceil(total / rows) }, (_, k) => ({
    start: k * rows,
    n: Math.min(rows, total - k * rows),
  }))
}

/**
 * The head matrix as initializers of consecutive rows, `<name>.rows<k>` (io/graphCache.ts
 * tensorFile reads them back as one table). onnxruntime prepacks each while the stored one
 * is still mapped, so a single 545 MB head (Qwen2.5-0.5B) was that much extra peak RSS at
 * load; in chunks of 32 MB the overlap is one chunk's.
 */
function headRows(ctx: GraphContext, name: string): Value[] {
  const { vocabSize: V, hiddenSize: H } = ctx.cfg
  const w = ctx.weight(name, [V, H])
  return rowChunks(V, 4 * H).map(({ start, n }, k) =>
    ctx.b.initializer(
      `${name}.rows${k}`,
      'float32',
      [n, H],
      w.subarray(start * H, (start + n) * H),
    ),
  )
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
