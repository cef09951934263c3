// The unfused graphs' inputs and attention: past tensors in, present tensors out.
import type { Value } from '../onnx'
import type { GraphContext } from './common'
import { IO } from './graphNames'

export interface SequenceInputs {
  /** Token ids [batch, seq], or null where the graph takes embeddings (GraphOptions.embedsIn). */
  ids: Value | null
  /** The tokens' embeddings [batch, seq, hidden] (GraphOptions.embedsIn), or null. */
  embeds: Value | null
  /** Positions of the new tokens, [seq] int64. */
  positions: Value
  /** int64 scalar: tokens so far, cached and new (the last position + 1). */
  total: Value
  /** Causal mask [seq, total]: true where a query may attend to a key. */
  allowed: Value
  /** The causal mask of sliding layers: also false for keys `slidingWindow` or more behind. */
  allowedSliding: Value | null
  past: { key: Value; value: Value }[]
}

/**
 * Graph inputs of the unfused graphs (insides, training): token ids, the KV cache as past
 * tensors of exactly the cached length, and the positions and causal mask they imply.
 */
export function sequenceInputs(ctx: GraphContext): SequenceInputs {
  const { b, cfg } = ctx
  const embedsIn = ctx.opts.embedsIn === true && !ctx.opts.gpu && !ctx.forTraining
  const embeds = embedsIn
    ? b.input(IO.embeds, 'float32', ['batch', 'sequence', cfg.hiddenSize])
    : null
  const ids = embedsIn ? null : b.input(IO.inputIds, 'int64', ['batch', 'sequence'])
  const past = []
  for (let i = 0; i < cfg.numLayers; i++) {
    const shape = ['batch', cfg.numKvHeads, 'past_sequence', cfg.headDim]
    past.push({
      key: b.input(IO.pastKey(i), 'float32', shape),
      value: b.input(IO.pastValue(i), 'float32', shape),
    })
  }
  const seqLen = b.gather(b.shape(embeds ?? ids!), b.int(1))
  const pastLen = b.gather(b.shape(past[0].key), b.int(2))
  const total = b.add(pastLen, seqLen)
  const positions = b.range(pastLen, total, b.int(1))
  const keyPos = b.unsqueeze(b.range(b.int(0), total, b.int(1)), [0])
  const allowed = b.less(keyPos, b.unsqueeze(b.add(positions, b.int(1)), [1]))
  // HF's sliding_window_overlay: key kv is visible to query q when kv > q − window.
  let allowedSliding: Value | null = null
  if (cfg.layerTypes.includes('sliding')) {
    const oldest = b.unsqueeze(b.sub(positions, b.int(cfg.slidingWindow)), [1])
    allowedSliding = b.op('And', [allowed, b.greater(keyPos, oldest)], {}, { dtype: 'bool' })[0]
  }
  return { ids, embeds, positions, total, allowed, allowedSliding, past }
}

/**
 * Scaled dot-product attention with grouped-query heads and the KV cache.
 * q [b, s, H·d], k/v [b, s, KV·d] (RoPE already applied); returns [b, s, H·d]. Query head h
 * uses KV head ⌊h / (H/KV)⌋, as HF's repeat_kv.
 */
export function attention(
  ctx: GraphContext,
  layer: number,
  q: Value,
  k: Value,
  v: Value,
  seq: SequenceInputs,
): Value {
  const { b, cfg } = ctx
  const H = cfg.numHeads
  const KV = cfg.numKvHeads
  const d = cfg.headDim
  const g = H / KV
  const toHeads = (x: Value) => b.transpose(b.reshape(x, [0, 0, KV, d]), [0, 2, 1, 3])
  const presentK = b.concat([seq.past[layer].key, toHeads(k)], 2)
  const presentV = b.concat([seq.past[layer].value, toHeads(v)], 2)
  b.output(presentK, IO.presentKey(layer))
  b.output(presentV, IO.presentValue(layer))
  const q5 = b.transpose(b.reshape(q, [0, 0, KV, g, d]), [0, 2, 3, 1, 4])
  const kT = b.transpose(b.unsqueeze(presentK, [2]), [0, 1, 2, 4, 3])
  const scores = ctx.softcap(b.mul(b.matMul(q5, kT), b.scalar(cfg.attnScale)), cfg.attnSoftcap)
  const allowed = cfg.layerTypes[layer] === 'sliding' ? seq.allowedSliding! : seq.allowed
  // Training adds the mask as a bias of 0 or -∞: Add's gradient is the incoming one as it
  // is, where Where's was another pass over the scores.
  const masked = ctx.forTraining
    ? b.add(scores, b.where(allowed, b.scalar(0), b.scalar(-Infinity)))
    : b.where(allowed, scores, b.scalar(-Infinity))
  const probs = b.softmax(masked, -1)
  if (ctx.opts.insides) {
    const shape = b.concat([b.shape(probs, 0, 1), b.ints([H]), b.shape(probs, 3, 5)], 0)
    b.output(b.reshape(probs, shape), IO.attention(layer))
  }
  const out = b.matMul(probs, b.unsqueeze(presentV, [2]))
  return b.reshape(b.transpose(out, [0, 3, 1, 2, 4]), [0, 0, H * d])
}
