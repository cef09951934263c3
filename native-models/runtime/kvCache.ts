// Feeds for the two KV-cache layouts of the inference graph (arch/common.ts):
// - fused: rows of [KV, d] per token in one growing buffer per layer and K/V, read by the
//   graph and appended by the runtime from the run's small IO.newRows output;
// - concat: past tensors of exactly the cached length, present returned as new tensors.
import { IO, type ArchConfig } from '../arch'
import { ort } from '../onnx/session'

type Tensor = ort.Tensor

export function idsTensor(ids: number[]): Tensor {
  return new ort.Tensor(
    'int64',
    BigInt64Array.from(ids, (x) => BigInt(x)),
    [1, ids.length],
  )
}

export function lastNTensor(n: number): Tensor {
  return new ort.Tensor('int64', BigInt64Array.of(BigInt(n)), [1])
}

/**
 * The fused layout's cache: per layer, K and V rows [1 + length, KV, 1, d] at the start of a
 * buffer that doubles when full; row 0 stays zero, the graph masks it (arch/fused.ts). A run
 * reads a prefix view of each buffer (no copy: ort-node wraps input memory) and returns only
 * the new rows, which `append` writes after the prefix.
 */
export class RowKvCache {
  private buffers: Float32Array[] = []
  private capacity = 0
  length = 0
  private readonly row: number

  constructor(
    private readonly cfg: ArchConfig,
    initialCapacity = 64,
  ) {
    this.row = cfg.numKvHeads * cfg.headDim
    this.grow(Math.min(initialCapacity, cfg.contextLength))
  }

  /** `capacity` tokens, plus the masked row. */
  private grow(capacity: number): void {
    const live = (1 + this.length) * this.row
    // One buffer at a time, so each old one is garbage as soon as it is copied.
    for (let i = 0; i < 2 * this.cfg.numLayers; i++) {
      const next = new Float32Array((1 + capacity) * this.row)
      if (this.buffers[i]) next.set(this.buffers[i].subarray(0, live))
      this.buffers[i] = next
    }
    this.capacity = capacity
  }

  /**
   * Feeds for a run that adds `ids` after the cached tokens. Callers check the context length
   * first (KvDecodeSession.step, LoadedModel.logits, the quantization probe).
   */
  feeds(ids: Tensor, lastN: Tensor): Record<string, Tensor> {
    const { numKvHeads: kv, headDim: d } = this.cfg
    const rows = 1 + this.length
    const feeds: Record<string, Tensor> = { [IO.inputIds]: ids, [IO.lastN]: lastN }
    for (let i = 0; i < this.cfg.numLayers; i++) {
      const [k, v] = [this.buffers[2 * i], this.buffers[2 * i + 1]]
      const view = (b: Float32Array) => b.subarray(0, rows * this.row)
      feeds[IO.pastKey(i)] = new ort.Tensor('float32', view(k), [rows, kv, 1, d])
      feeds[IO.pastValue(i)] = new ort.Tensor('float32', view(v), [rows, kv, 1, d])
    }
    return feeds
  }

  /** Appends a run's IO.newRows output for `count` tokens. */
  append(rows: Float32Array, count: number): void {
    const total = this.length + count
    if (total > this.capacity) {
      // A quarter more, in whole steps of 256 rows, not twice: doubling left a 4,160-token
      // chat holding 8,192 rows (and both buffers while copying); copies stay a few O(n).
      const step = (n: number) => Math.ceil(n / 256) * 256
      this.grow(Math.min(Math.max(step(1.25 * this.capacity), step(total)), this.cfg.contextLength))
    }
    const n = count * this.row
    for (let i = 0; i < this.buffers.length; i++) {
      this.buffers[i].set(rows.subarray(i * n, (i + 1) * n), (1 + this.length) * this.row)
    }
    this.length = total
  }
}

/** Concat layout: an empty cache. */
export function emptyPastFeeds(cfg: ArchConfig, feeds: Record<string, Tensor>): void {
  const e = new ort.Tensor('float32', new Float32Array(0), [1, cfg.numKvHeads, 0, cfg.headDim])
  for (let i = 0; i < cfg.numLayers; i++) {
    feeds[IO.pastKey(i)] = e
    feeds[IO.pastValue(i)] = e
  }
}

/** One run over a whole sequence from an empty cache, in either layout. */
export async function runFullSequence(
  session: ort.InferenceSession,
  cfg: ArchConfig,
  fused: boolean,
  ids: number[],
  run = (f: Record<string, Tensor>, o?: Record<string, Tensor | null>) =>
    o ? session.run(f, o) : session.run(f),
) {
  if (fused) {
    const cache = new RowKvCache(cfg, 0)
    return run(cache.feeds(idsTensor(ids), lastNTensor(ids.length)))
  }
  const feeds: Record<string, Tensor> = {
    [IO.inputIds]: idsTensor(ids),
    [IO.lastN]: lastNTensor(ids.length),
  }
  emptyPastFeeds(cfg, feeds)
  return run(feeds)
}
