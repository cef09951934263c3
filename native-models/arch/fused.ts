// The decode graph's fused ops (GraphOptions.fused, plain variant): ort contrib ops that do
// in one node what the unfused graph spells out in many, because on CPU a decode step's time
// beyond the matrix products is mostly per-node overhead (docs/ContribOperators.md of
// onnxruntime for each op's contract). Attention is the exception: ort's one-node
// GroupQueryAttention writes the cache as an output, which onnxruntime-node copies per run,
// so cachedAttention spells it out in about twenty small nodes that only read the cache.
import { MS_DOMAIN, attr, type Value } from '../onnx'
import { ropeInvFreq, type LayerType } from './config'
import type { GraphContext } from './common'
import { IO } from './graphNames'

export interface FusedInputs {
  /** input_ids [1, S], or null where the graph takes the embeddings (embeds). */
  ids: Value | null
  /** inputs_embeds [1, S, hidden] (GraphOptions.embedsIn), or null. */
  embeds: Value | null
  /**
   * Per layer, the cached rows only, [1 + past, KV, 1, d]: one token's heads per row, after
   * a first row that attention masks out (an empty cache input crashed onnxruntime 1.30 with
   * SIGFPE: its MatMul helper divides by transBatchB's leading dimension). The runtime passes
   * a prefix of its buffer as it is and appends the new rows after a run. The cache is never a graph output: onnxruntime-node copies every output
   * into a fresh buffer after each run, which for a whole cache cost more than the step.
   */
  past: { key: Value; value: Value }[]
  /** int64 scalar: tokens already cached, the first new token's position. */
  pastLength: Value
  /** int64 scalar: new tokens in this run (S). */
  seqLength: Value
  /** [S, 1 + past + S]: −∞ for the masked first row and for new tokens after the query. */
  mask: Value
  /** The mask of sliding layers: also −∞ for keys `slidingWindow` or more behind the query. */
  slidingMask: Value | null
  /** int64 [2]: [1 + past, S], to split attention weights into cached and new columns. */
  split: Value
  /** Each layer's new K and V rows [S, KV, 1, d], in order; outputFusedRows writes them. */
  rows: Value[]
}

export function fusedInputs(ctx: GraphContext): FusedInputs {
  const { b, cfg } = ctx
  const embedsIn = ctx.opts.embedsIn === true && !ctx.opts.gpu
  const embeds = embedsIn ? b.input(IO.embeds, 'float32', [1, 'sequence', cfg.hiddenSize]) : null
  const ids = embedsIn ? null : b.input(IO.inputIds, 'int64', [1, 'sequence'])
  const past = []
  const dtype = ctx.opts.kvCache ?? 'float32'
  for (let i = 0; i < cfg.numLayers; i++) {
    const shape = ['cache_rows', cfg.numKvHeads, 1, cfg.headDim]
    past.push({
      key: b.input(IO.pastKey(i), dtype, shape),
      value: b.input(IO.pastValue(i), dtype, shape),
    })
  }
  const cacheRows = b.gather(b.shape(past[0].key), b.int(0))
  const seqLength = b.gather(b.shape((embeds ?? ids)!), b.int(1))
  const split = b.concat([b.unsqueeze(cacheRows, [0]), b.unsqueeze(seqLength, [0])], 0)
  // Key j of [masked row, cached…, new…] is visible to new token s when 1 ≤ j ≤ past + s + 1.
  const pastLength = b.sub(cacheRows, b.int(1))
  const end = b.add(cacheRows, seqLength)
  const key = b.unsqueeze(b.range(b.int(0), end, b.int(1)), [0])
  const last = b.unsqueeze(b.range(cacheRows, end, b.int(1)), [1])
  const after = b.greater(key, b.int(0))
  const visible = b.op('And', [after, b.less(key, b.add(last, b.int(1)))], {}, { dtype: 'bool' })[0]
  const mask = b.where(visible, b.scalar(0), b.scalar(-Infinity))
  // Key j holds position j − 1 and query s position past + s = last − 1, so HF's sliding
  // window (key position > query position − window) is j > last − window.
  let slidingMask: Value | null = null
  if (cfg.layerTypes.includes('sliding')) {
    const recent = b.greater(key, b.sub(last, b.int(cfg.slidingWindow)))
    const inWindow = b.op('And', [visible, recent], {}, { dtype: 'bool' })[0]
    slidingMask = b.where(inWindow, b.scalar(0), b.scalar(-Infinity))
  }
  return { ids, embeds, past, pastLength, seqLength, mask, slidingMask, split, rows: [] }
}

/** The new tokens' embeddings: the graph's input, or a lookup in `table`. */
export function tokenEmbeddings(ctx: GraphContext, seq: FusedInputs, table: string): Value {
  return (
    seq.embeds ?? ctx.b.gather(ctx.param(table, [ctx.cfg.vocabSize, ctx.cfg.hiddenSize]), seq.ids!)
  )
}

/** The new K/V rows of every layer as one output, [2·layers·S, KV, 1, d] (see IO.newRows). */
export function outputFusedRows(ctx: GraphContext, seq: FusedInputs): void {
  const rows = ctx.b.concat(seq.rows, 0)
  ctx.b.output(ctx.opts.kvCache === 'float16' ? ctx.b.cast(rows, 'float16') : rows, IO.newRows)
}

/** Positions of the new tokens, [seq] int64 (GPT-2's learned position embedding). */
export function fusedPositions(ctx: GraphContext, seq: FusedInputs): Value {
  const { b } = ctx
  return b.range(seq.pastLength, b.add(seq.pastLength, seq.seqLength), b.int(1))
}

export interface RopeCaches {
  cos: Value
  sin: Value
  /**
   * Longrope: the caches hold the short-factor rows of the pretrained context first, then
   * the long-factor rows of every position; a run whose sequence outgrows that context reads
   * the long rows (HF's longrope_frequency_update, per forward call).
   */
  longFrom?: number
  /** The first new token's row in the caches, built once per graph. */
  row?: Value
}

/**
 * cos/sin of pos·inv_freq for every position of the context, [rows, r/2] (r: the rotated
 * width), as RotaryEmbedding's cos_cache/sin_cache. The angle is one float32 product as in
 * HF's rotary embeddings (inv_freq @ position_ids in float32), then cos/sin rounded to
 * float32 and times the rope type's attention factor.
 */
export function ropeCaches(ctx: GraphContext, layer: LayerType = 'full'): RopeCaches {
  const { cfg, b } = ctx
  const half = cfg.rotaryDim / 2
  const s = cfg.ropeScaling
  const local = layer === 'sliding' && cfg.localRopeTheta > 0
  const longrope = s.type === 'longrope' && !local
  const factor = local ? 1 : s.attentionFactor
  const n = cfg.contextLength
  const tables = longrope
    ? [
        { inv: Float32Array.from(ropeInvFreq(cfg, layer, false)), rows: s.originalMaxPositions },
        { inv: Float32Array.from(ropeInvFreq(cfg, layer, true)), rows: n },
      ]
    : [{ inv: Float32Array.from(ropeInvFreq(cfg, layer)), rows: n }]
  const total = tables.reduce((a, t) => a + t.rows, 0)
  const cos = new Float32Array(total * half)
  const sin = new Float32Array(total * half)
  let row = 0
  for (const { inv, rows } of tables) {
    for (let p = 0; p < rows; p++, row++) {
      for (let i = 0; i < half; i++) {
        const angle = Math.fround(p * inv[i])
        cos[row * half + i] = Math.fround(Math.cos(angle)) * factor
        sin[row * half + i] = Math.fround(Math.sin(angle)) * factor
      }
    }
  }
  const prefix = layer === 'full' ? 'rope' : 'rope.sliding'
  return {
    cos: b.initializer(`${prefix}.cos_cache`, 'float32', [total, half], cos),
    sin: b.initializer(`${prefix}.sin_cache`, 'float32', [total, half], sin),
    longFrom: longrope ? s.originalMaxPositions : undefined,
  }
}

/** The caches' row of the first new token: its position, past the short rows when long. */
function ropeRow(ctx: GraphContext, rope: RopeCaches, seq: FusedInputs): Value {
  const { b } = ctx
  if (rope.longFrom === undefined) return seq.pastLength
  if (!rope.row) {
    const long = b.greater(b.add(seq.pastLength, seq.seqLength), b.int(rope.longFrom))
    const offset = b.where(long, b.int(rope.longFrom), b.int(0))
    rope.row = b.add(seq.pastLength, offset)
  }
  return rope.row
}

/**
 * Grouped-query attention of the new tokens over the cached rows and themselves, from packed
 * q/k/v [1, S, (H + 2·KV)·d]; RoPE (com.microsoft RotaryEmbedding, HF's rotate_half layout)
 * when `rope` is given. The cache is only read: scores against cached and new keys are two
 * products joined before one softmax, so no step copies the cache. Queries are
 * [KV, 1, G·S, d] (G = H/KV; query head h uses KV head ⌊h / G⌋, as HF's repeat_kv) and
 * FusedMatMul's transBatchB reads [n, KV, 1, d] rows as [KV, 1, n, d] through strides.
 */
export function cachedAttention(
  ctx: GraphContext,
  layer: number,
  qkv: Value,
  seq: FusedInputs,
  rope?: RopeCaches,
): Value {
  const { b, cfg } = ctx
  const H = cfg.numHeads
  const KV = cfg.numKvHeads
  const d = cfg.headDim
  let q: Value, k: Value, v: Value
  if (rope) {
    const [qk, vFlat] = b.split(qkv, [(H + KV) * d, KV * d], -1)
    const attrs = { interleaved: attr.int(0), num_heads: attr.int(H + KV) }
    // Phi-3's partial rotary: only each head's first rotaryDim features turn.
    const partial =
      cfg.rotaryDim < d ? { ...attrs, rotary_embedding_dim: attr.int(cfg.rotaryDim) } : attrs
    const rotated = b.op(
      'RotaryEmbedding',
      [qk, ropeRow(ctx, rope, seq), rope.cos, rope.sin],
      partial,
      { domain: MS_DOMAIN },
    )[0]
    ;[q, k] = b.split(b.reshape(rotated, [-1, H + KV, 1, d]), [H, KV], 1)
    v = b.reshape(vFlat, [-1, KV, 1, d])
  } else {
    ;[q, k, v] = b.split(b.reshape(qkv, [-1, H + 2 * KV, 1, d]), [H, KV, KV], 1)
  }
  seq.rows.push(k, v)
  // y holds rows [n, KV, 1, d]: x [KV, ·, ·, ·] times y read as [KV, 1, n, d] (transB: its
  // transpose). The GPU form spells the transposes out (and the scale: MatMul has no alpha).
  const fusedMatMul = (x: Value, y: Value, transB: number, alpha = 1) => {
    if (ctx.opts.gpu) {
      const product = b.matMul(x, b.transpose(y, transB ? [1, 2, 3, 0] : [1, 2, 0, 3]))
      return alpha === 1 ? product : b.mul(product, b.scalar(alpha))
    }
    return b.op(
      'FusedMatMul',
      [x, y],
      { transB: attr.int(transB), transBatchB: attr.int(1), alpha: attr.float(alpha) },
      { domain: MS_DOMAIN },
    )[0]
  }
  const G = H / KV
  let { key, value } = seq.past[layer]
  if (ctx.opts.kvCache === 'float16')
    [key, value] = [b.cast(key, 'float32'), b.cast(value, 'float32')]
  const mask = cfg.layerTypes[layer] === 'sliding' ? seq.slidingMask! : seq.mask
  let mixed: Value
  if (G === 1) {
    // One row per product at decode: alpha 1 keeps MLAS's single-row kernels, which skip
    // packing the cache.
    const heads = b.transpose(b.mul(q, b.scalar(cfg.attnScale)), [1, 2, 0, 3])
    const scores = ctx.softcap(
      b.concat([fusedMatMul(heads, key, 1), fusedMatMul(heads, k, 1)], -1),
      cfg.attnSoftcap,
    )
    const probs = b.softmax(b.add(scores, mask), -1)
    const [cachedP, newP] = b.op(
      'Split',
      [probs, seq.split],
      { axis: attr.int(-1) },
      { outputs: 2 },
    )
    mixed = b.add(fusedMatMul(cachedP, value, 0), fusedMatMul(newP, v, 0))
  } else {
    // A group's G query heads are G·S rows of one product per KV head, [KV, 1, G·S, d]: each
    // cached row is read once per group, not once per query head (SmolLM2-135M after 4,096
    // tokens: 10 % less CPU per decoded token). The scale rides in the product's alpha.
    const heads = b.transpose(b.reshape(q, [-1, KV, G, d]), [1, 2, 0, 3])
    const grouped = b.reshape(heads, [KV, 1, -1, d])
    const rows = b.concat(
      [fusedMatMul(grouped, key, 1, cfg.attnScale), fusedMatMul(grouped, k, 1, cfg.attnScale)],
      -1,
    )
    // [KV, G, S, total] for the [S, total] mask; free reshapes either side.
    const scores = ctx.softcap(b.reshape(rows, [KV, G, -1, 0]), cfg.attnSoftcap)
    const probs = b.reshape(b.softmax(b.add(scores, mask), -1), [KV, 1, -1, 0])
    const [cachedP, newP] = b.op(
      'Split',
      [probs, seq.split],
      { axis: attr.int(-1) },
      { outputs: 2 },
    )
    const flat = b.add(fusedMatMul(cachedP, value, 0), fusedMatMul(newP, v, 0))
    mixed = b.reshape(flat, [KV, G, -1, d])
  }
  return b.reshape(b.transpose(mixed, [2, 0, 1, 3]), [1, -1, H * d])
}

/** RMSNorm (Llama) as one node: ort's SimplifiedLayerNormalization. */
export function rmsNormOp(ctx: GraphContext, x: Value, weight: Value): Value {
  return ctx.b.op('SimplifiedLayerNormalization', [x, weight], {
    axis: attr.int(-1),
    epsilon: attr.float(ctx.cfg.normEps),
  })[0]
}

/**
 * The residual add and the next norm as one node: returns [norm(x + skip + bias),
 * x + skip + bias]. `norm` is [weight] for RMSNorm (Llama: com.microsoft
 * SkipSimplifiedLayerNormalization) or [gamma, beta] for LayerNorm (GPT-2:
 * SkipLayerNormalization). `keepSum` false leaves the sum unmaterialized (after the last layer).
 */
export function skipNorm(
  ctx: GraphContext,
  x: Value,
  skip: Value,
  norm: [Value] | [Value, Value],
  bias: Value | null,
  keepSum = true,
): [Value, Value] {
  const op = norm.length === 1 ? 'SkipSimplifiedLayerNormalization' : 'SkipLayerNormalization'
  const outs = ctx.b.op(
    op,
    bias ? [x, skip, ...norm, bias] : [x, skip, ...norm],
    { epsilon: attr.float(ctx.cfg.normEps) },
    { domain: MS_DOMAIN, outputs: 4, omit: keepSum ? [1, 2] : [1, 2, 3] },
  )
  return [outs[0], outs[3]]
}
