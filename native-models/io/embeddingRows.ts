// The fused CPU graph's token embeddings (arch GraphOptions.embedsIn), read row by row from
// the graph cache's weights.bin with pread: rows land in the page cache, not in the process's
// mapped memory, as a Gather over the mapped table would have them (and this disk's read-
// ahead with them). Callers keep feeding input_ids: withEmbeddingRows turns them into rows.

import { closeSync, openSync, readSync } from 'node:fs'
import { IO } from '../arch'
import { ModelFormatError } from '../arch/weights'
import { ort, type OrtSession } from '../onnx/session'

export class EmbeddingRows {
  private fd: number | null

  constructor(
    readonly file: string,
    private readonly offset: number,
    readonly vocab: number,
    readonly hidden: number,
  ) {
    this.fd = openSync(file, 'r')
  }

  /** The rows of `ids`, [ids.length · hidden]. */
  lookup(ids: ArrayLike<bigint | number>): Float32Array {
    if (this.fd === null) throw new Error(`${this.file}: embedding rows read after release`)
    const row = this.hidden * 4
    const out = new Float32Array(ids.length * this.hidden)
    const bytes = new Uint8Array(out.buffer)
    for (let i = 0; i < ids.length; i++) {
      const id = Number(ids[i])
      if (!Number.isInteger(id) || id < 0 || id >= this.vocab) {
        throw new RangeError(`token id ${id} is outside the vocabulary [0, ${this.vocab})`)
      }
      if (readSync(this.fd, bytes, i * row, row, this.offset + id * row) !== row) {
        throw new ModelFormatError(this.file, 'is truncated: an embedding row is cut short')
      }
    }
    return out
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd)
    this.fd = null
  }
}

/**
 * `session` (a graph taking IO.embeds) as one taking IO.inputIds: each run looks the ids up
 * in `rows`; release also closes the file.
 */
export function withEmbeddingRows(session: OrtSession, rows: EmbeddingRows): OrtSession {
  const run = (feeds: Record<string, ort.Tensor>, ...rest: unknown[]) => {
    const { [IO.inputIds]: ids, ...others } = feeds
    const fed = ids
      ? {
          ...others,
          [IO.embeds]: new ort.Tensor('float32', rows.lookup(ids.data as BigInt64Array), [
            ...ids.dims,
            rows.hidden,
          ]),
        }
      : feeds
    return (session.run as (...args: unknown[]) => ReturnType<OrtSession['run']>)(fed, ...rest)
  }
  const release = async () => {
    rows.close()
    await session.release()
  }
  const inputNames = session.inputNames.map((n) => (n === IO.embeds ? IO.inputIds : n))
  return new Proxy(session, {
    get(target, p) {
      if (p === 'run') return run
      if (p === 'release') return release
      if (p === 'inputNames') return inputNames
      const v: unknown = Reflect.get(target, p, target)
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v
    },
  })
}
