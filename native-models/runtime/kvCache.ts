// Feeds for the two KV-cache layouts of the inference graph (arch/common.ts):
// - fused: rows of [KV, d] per token in one growing buffer per layer and K/V, read by the
//   graph and appended by the runtime from the run's small IO.newRows output;
// - concat: past tensors of exactly the cached length, present returned as new tensors.
import { IO, type ArchConfig, type KvCacheType } from '../arch'
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

/** ES2024's resizable ArrayBuffer (Node ≥ 20, Electron), absent from the ES2023 lib. */
interface ResizableBuffer extends ArrayBuffer {
  resize(byteLength: number): void
}
const ResizableBuffer = ArrayBuffer as unknown as new (
  byteLength: number,
  options: { maxByteLength: number },
) => ResizableBuffer

/** Rows are committed in steps of this many tokens (a resize is a system call per buffer). */
const COMMIT_STEP = 64

/**
 * The fused layout's cache: per layer, K and V rows [1 + length, KV, 1, d] at the start of
 * a resizable buffer that reserves the whole context's address space up front and commits
 * pages only as rows arrive, so growing never copies, never holds an old and a new buffer at
 * once, and resident memory is the rows held (copying into a buffer grown by a quarter left
 * 4,864 rows and garbage copies resident after a 4,160-token chat). Row 0 stays zero, the
 * graph masks it (arch/fused.ts). A run reads a prefix view of each buffer (no copy:
 * ort-node wraps input memory) and returns only the new rows, which `append` writes after it.
 */
export class RowKvCache {
  private readonly buffers: ResizableBuffer[]
  private committed = -1
  private used = 0
  private readonly row: number
  /** Bytes per element: float32 rows, or float16 as raw 16-bit words (GraphOptions.kvCache). */
  private readonly bytes: 4 | 2

  constructor(
    private readonly cfg: ArchConfig,
    private readonly dtype: KvCacheType = 'float32',
  ) {
    this.row = cfg.numKvHeads * cfg.headDim
    this.bytes = dtype === 'float16' ? 2 : 4
    const maxByteLength = (1 + cfg.contextLength) * this.row * this.bytes
    this.buffers = Array.from(
      { length: 2 * cfg.numLayers },
      () => new ResizableBuffer(0, { maxByteLength }),
    )
    this.commit(0)
  }

  get length(): number {
    return this.used
  }

  /** Cached tokens held; rows past `length` are dropped and their pages released. */
  set length(tokens: number) {
    this.used = tokens
    this.commit(tokens)
  }

  /** Pages for `tokens` cached tokens plus the masked row, in whole commit steps. */
  private commit(tokens: number): void {
    const rows = Math.min(Math.ceil(tokens / COMMIT_STEP) * COMMIT_STEP, this.cfg.contextLength)
    if (rows === this.committed) return
    for (const b of this.buffers) b.resize((1 + rows) * this.row * this.bytes)
    this.committed = rows
  }

  /**
   * Feeds for a run that adds `ids` after the cached tokens. Callers check the context length
   * first (KvDecodeSession.step, LoadedModel.logits, the quantization probe).
   */
  feeds(ids: Tensor, lastN: Tensor): Record<string, Tensor> {
    const { numKvHeads: kv, headDim: d } = this.cfg
    const rows = 1 + this.used
    const feeds: Record<string, Tensor> = { [IO.inputIds]: ids, [IO.lastN]: lastN }
    const shape = [rows, kv, 1, d]
    const tensor = (b: ArrayBuffer) =>
      this.dtype === 'float16'
        ? new ort.Tensor('float16', new Uint16Array(b, 0, rows * this.row), shape)
        : new ort.Tensor('float32', new Float32Array(b, 0, rows * this.row), shape)
    for (let i = 0; i < this.cfg.numLayers; i++) {
      feeds[IO.pastKey(i)] = tensor(this.buffers[2 * i])
      feeds[IO.pastValue(i)] = tensor(this.buffers[2 * i + 1])
    }
    return feeds
  }

  /** Appends a run's IO.newRows output for `count` tokens, its elements as they are. */
  append(rows: ArrayBufferView, count: number): void {
    const total = this.used + count
    if (total > this.committed) this.commit(total)
    // Bytes, so float16 rows copy alike whether ort hands them out as words or Float16Array.
    const n = count * this.row * this.bytes
    const at = (1 + this.used) * this.row * this.bytes
    for (let i = 0; i < this.buffers.length; i++) {
      const from = new Uint8Array(rows.buffer, rows.byteOffset + i * n, n)
      new Uint8Array(this.buffers[i], at, n).set(from)
    }
    this.used = total
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

/**
 * One run over a whole sequence from an empty cache, in either layout: `fused` is the fused
 * graph's cache element type, or false for the concat layout.
 */
export async function runFullSequence(
  session: ort.InferenceSession,
  cfg: ArchConfig,
  fused: KvCacheType | false,
  ids: number[],
  run = (f: Record<string, Tensor>, o?: Record<string, Tensor | null>) =>
    o ? session.run(f, o) : session.run(f),
) {
  if (fused) {
    const cache = new RowKvCache(cfg, fused)
    return run(cache.feeds(idsTensor(ids), lastNTensor(ids.length)))
  }
  const feeds: Record<string, Tensor> = {
    [IO.inputIds]: idsTensor(ids),
    [IO.lastN]: lastNTensor(ids.length),
  }
  emptyPastFeeds(cfg, feeds)
  return run(feeds)
}
