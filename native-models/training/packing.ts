import { seededRandom } from '../random/seededRandom'

export { seededRandom }
// Packing tokenized documents into fixed-length training sequences: documents are joined
// with an end-of-text token and cut into windows of seqLen+1 tokens (inputs and the same
// window shifted by one as targets), as GPT-2 and most LM pre-training pipelines do.

export interface PackedData {
  seqLen: number
  /** count × (seqLen + 1) token ids. */
  windows: Int32Array
  count: number
}

export function packDocuments(
  docs: Iterable<ArrayLike<number>>,
  seqLen: number,
  eosId: number,
): PackedData {
  let total = 0
  const parts: ArrayLike<number>[] = []
  for (const d of docs) {
    if (d.length === 0) continue
    parts.push(d)
    total += d.length + 1
  }
  const stream = new Int32Array(total)
  let at = 0
  for (const d of parts) {
    stream.set(d, at)
    at += d.length
    stream[at++] = eosId
  }
  // Windows overlap by one token so every token is a target exactly once.
  const count = total > seqLen ? Math.floor((total - 1) / seqLen) : total > 1 ? 1 : 0
  const windows = new Int32Array(count * (seqLen + 1)).fill(eosId)
  for (let w = 0; w < count; w++) {
    const start = w * seqLen
    windows.set(stream.subarray(start, Math.min(total, start + seqLen + 1)), w * (seqLen + 1))
  }
  return { seqLen, windows, count }
}

export function shuffled(n: number, seed: number): number[] {
  const order = [...Array(n).keys()]
  const rand = seededRandom(seed)
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1))
    ;[order[i], order[j]] = [order[j], order[i]]
  }
  return order
}

/** Splits windows into train and held-out sets (at least one held-out window when n ≥ 2). */
export function splitHeldOut(
  data: PackedData,
  fraction: number,
  seed: number,
): { train: PackedData; heldOut: PackedData } {
  const order = shuffled(data.count, seed)
  const nHeld = data.count < 2 ? 0 : Math.max(1, Math.round(data.count * fraction))
  const pick = (idx: number[]): PackedData => {
    const w = data.seqLen + 1
    const windows = new Int32Array(idx.length * w)
    idx.forEach((src, i) => windows.set(data.windows.subarray(src * w, src * w + w), i * w))
    return { seqLen: data.seqLen, windows, count: idx.length }
  }
  return {
    heldOut: pick(order.slice(0, nHeld).sort((a, b) => a - b)),
    train: pick(order.slice(nHeld).sort((a, b) => a - b)),
  }
}

export interface Batch {
  inputIds: BigInt64Array
  targets: BigInt64Array
  lossMask: Float32Array
  batch: number
  seqLen: number
}

/**
 * Batch `index` of an epoch whose window order is shuffled by (seed, epoch): a pure
 * function of its arguments, so a resumed run sees exactly the batches it would have seen.
 * Padding rows (past the last window) have a zero loss mask.
 */
export function batchAt(
  data: PackedData,
  batchSize: number,
  seed: number,
  globalBatch: number,
): Batch {
  const perEpoch = Math.max(1, Math.ceil(data.count / batchSize))
  const epoch = Math.floor(globalBatch / perEpoch)
  const order = shuffled(data.count, seed * 1000003 + epoch)
  const first = (globalBatch % perEpoch) * batchSize
  const T = data.seqLen
  const w = T + 1
  const inputIds = new BigInt64Array(batchSize * T)
  const targets = new BigInt64Array(batchSize * T)
  const lossMask = new Float32Array(batchSize * T)
  for (let r = 0; r < batchSize; r++) {
    const k = first + r
    if (k >= data.count) continue
    const src = order[k] * w
    for (let t = 0; t < T; t++) {
      inputIds[r * T + t] = BigInt(data.windows[src + t])
      targets[r * T + t] = BigInt(data.windows[src + t + 1])
      lossMask[r * T + t] = 1
    }
  }
  return { inputIds, targets, lossMask, batch: batchSize, seqLen: T }
}

export function batchesPerEpoch(data: PackedData, batchSize: number): number {
  return Math.max(1, Math.ceil(data.count / batchSize))
}
