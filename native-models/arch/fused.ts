// The decode graph's fused ops (GraphOptions.fused, plain variant): ort contrib ops that do
// in one node what the unfused graph spells out in many, because on CPU a decode step's time
// beyond the matrix products is mostly per-node overhead (docs/ContribOperators.md of
// onnxruntime for each op's contract).
import { MS_DOMAIN, attr, type Value } from '../onnx'
import { ropeInvFreq } from './config'
import { IO, type GraphContext } from './common'

export interface FusedInputs {
  ids: Value
  /** One preallocated buffer per layer, past and present alike: [batch, KV, max_sequence, d]. */
  past: { key: Value; value: Value }[]
  /** [batch] int32, total length − 1. */
  seqlensK: Value
  /** int32 scalar, cached + new tokens. */
  totalLength: Value
}

export function fusedInputs(ctx: GraphContext): FusedInputs {
  const { b, cfg } = ctx
  const ids = b.input(IO.inputIds, 'int64', ['batch', 'sequence'])
  const past = []
  for (let i = 0; i < cfg.numLayers; i++) {
    const shape = ['batch', cfg.numKvHeads, 'max_sequence', cfg.headDim]
    past.push({
      key: b.input(IO.pastKey(i), 'float32', shape),
      value: b.input(IO.pastValue(i), 'float32', shape),
    })
  }
  const seqlensK = b.input(IO.seqlensK, 'int32', ['batch'])
  const totalLength = b.input(IO.totalLength, 'int32', [])
  return { ids, past, seqlensK, totalLength }
}

/** Positions of the new tokens, [seq] int64 (GPT-2's learned position embedding). */
export function fusedPositions(ctx: GraphContext, seq: FusedInputs): Value {
  const { b } = ctx
  const seqLen = b.gather(b.shape(seq.ids), b.int(1))
  const total = b.cast(seq.totalLength, 'int64')
  return b.range(b.sub(total, seqLen), total, b.int(1))
}

export interface RopeCaches {
  cos: Value
  sin: Value
}

/**
 * cos/sin of pos·inv_freq for every position of the context, [context, d/2], as
 * GroupQueryAttention's cos_cache/sin_cache. The angle is one float32 product as in HF's
 * LlamaRotaryEmbedding (inv_freq @ position_ids in float32), then cos/sin rounded to float32.
 */
export function ropeCaches(ctx: GraphContext): RopeCaches {
  const { cfg, b } = ctx
  const half = cfg.headDim / 2
  const inv = Float32Array.from(ropeInvFreq(cfg))
  const n = cfg.contextLength
  const cos = new Float32Array(n * half)
  const sin = new Float32Array(n * half)
  for (let p = 0; p < n; p++) {
    for (let i = 0; i < half; i++) {
      const angle = Math.fround(p * inv[i])
      cos[p * half + i] = Math.cos(angle)
      sin[p * half + i] = Math.sin(angle)
    }
  }
  return {
    cos: b.initializer('rope.cos_cache', 'float32', [n, half], cos),
    sin: b.initializer('rope.sin_cache', 'float32', [n, half], sin),
  }
}

/**
 * com.microsoft GroupQueryAttention over packed q/k/v [b, s, (H + 2·KV)·d] and the layer's
 * shared KV buffer; RoPE inside when `rope` is given, in HF's rotate_half layout
 * (rotary_interleaved 0). Positions come from seqlens_k, as the decode loop feeds them.
 */
export function groupQueryAttention(
  ctx: GraphContext,
  layer: number,
  qkv: Value,
  seq: FusedInputs,
  rope?: RopeCaches,
): Value {
  const { b, cfg } = ctx
  const attrs = {
    num_heads: attr.int(cfg.numHeads),
    kv_num_heads: attr.int(cfg.numKvHeads),
    scale: attr.float(1 / Math.sqrt(cfg.headDim)),
    ...(rope ? { do_rotary: attr.int(1), rotary_interleaved: attr.int(0) } : {}),
  }
  const { key, value } = seq.past[layer]
  const inputs = [qkv, null, null, key, value, seq.seqlensK, seq.totalLength]
  if (rope) inputs.push(rope.cos, rope.sin)
  const [out, presentK, presentV] = b.op('GroupQueryAttention', inputs, attrs, {
    domain: MS_DOMAIN,
    outputs: 3,
  })
  b.output(presentK, IO.presentKey(layer))
  b.output(presentV, IO.presentValue(layer))
  return out
}

/** RMSNorm (Llama) as one node: ort's SimplifiedLayerNormalization. */
export function rmsNormOp(ctx: GraphContext, x: Value, weight: Value): Value {
  return ctx.b.op('SimplifiedLayerNormalization', [x, weight], {
    axis: attr.int(-1),
    epsilon: attr.float(ctx.cfg.normEps),
  })[0]
}

/**
 * The residual add and the next RMSNorm as one node: returns [RMSNorm(x + skip + bias),
 * x + skip + bias]. `keepSum` false leaves the sum unmaterialized (after the last layer).
 */
export function skipRmsNorm(
  ctx: GraphContext,
  x: Value,
  skip: Value,
  weight: Value,
  bias: Value | null,
  keepSum = true,
): [Value, Value] {
  const outs = ctx.b.op(
    'SkipSimplifiedLayerNormalization',
    bias ? [x, skip, weight, bias] : [x, skip, weight],
    { epsilon: attr.float(ctx.cfg.normEps) },
    { domain: MS_DOMAIN, outputs: 4, omit: keepSum ? [1, 2] : [1, 2, 3] },
  )
  return [outs[0], outs[3]]
}

/** As skipRmsNorm, with LayerNorm (GPT-2): com.microsoft SkipLayerNormalization. */
export function skipLayerNorm(
  ctx: GraphContext,
  x: Value,
  skip: Value,
  gamma: Value,
  beta: Value,
  bias: Value | null,
  keepSum = true,
): [Value, Value] {
  const outs = ctx.b.op(
    'SkipLayerNormalization',
    bias ? [x, skip, gamma, beta, bias] : [x, skip, gamma, beta],
    { epsilon: attr.float(ctx.cfg.normEps) },
    { domain: MS_DOMAIN, outputs: 4, omit: keepSum ? [1, 2] : [1, 2, 3] },
  )
  return [outs[0], outs[3]]
}
