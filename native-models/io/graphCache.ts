// Built graphs on disk, keyed by the weights' fingerprint and the build options. An entry
// is written into a temporary folder and renamed into place, so an error or a crash never
// leaves a partial entry behind.
import { createHash, randomBytes } from 'node:crypto'
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs'
import { join } from 'node:path'
import { onnx } from 'onnx-proto'
import { toModelProto, type GraphBuilder } from '../onnx'

export { defaultGraphCacheDir } from './graphCacheDir'

/** Bump when graph construction changes, so stale cached graphs are rebuilt. */
export const GRAPH_FORMAT_VERSION = 14

type Layout = Record<string, { offset: number; length: number }>

/**
 * Where a matrix stored as row chunks (`<name>.rows0`, `.rows1`, …: arch/logitsHead.ts
 * headRows) starts in weights.bin, when the chunks lie back to back as one table.
 */
export function rowChunksOffset(layout: Layout, name: string): number | undefined {
  const chunks: { offset: number; length: number }[] = []
  for (let k = 0; layout[`${name}.rows${k}`]; k++) chunks.push(layout[`${name}.rows${k}`])
  if (chunks.length === 0) return undefined
  const contiguous = chunks.every(
    (c, k) => k === 0 || c.offset === chunks[k - 1].offset + chunks[k - 1].length,
  )
  return contiguous ? chunks[0].offset : undefined
}

export function cacheKey(parts: (string | Uint8Array)[]): string {
  const h = createHash('sha256')
  h.update(`glassbox-graph-v${GRAPH_FORMAT_VERSION}\0`)
  for (const p of parts) {
    h.update(p)
    h.update('\0')
  }
  return h.digest('hex').slice(0, 32)
}

const WEIGHTS = 'weights.bin'
const LAYOUT = 'layout.json'

function writeModelFile(path: string, proto: onnx.ModelProto): void {
  const tmp = `${path}.tmp-${randomBytes(4).toString('hex')}`
  try {
    writeFileSync(tmp, onnx.ModelProto.encode(proto).finish())
    renameSync(tmp, path)
  } catch (e) {
    rmSync(tmp, { force: true })
    throw e
  }
}

export class GraphCache {
  constructor(readonly root: string) {}

  entryDir(key: string): string {
    return join(this.root, key)
  }

  has(key: string, variant: string): boolean {
    return existsSync(join(this.entryDir(key), `${variant}.onnx`))
  }

  /**
   * Where a float32 tensor of the entry lies: in weights.bin when a graph uses it, else in
   * a side file `<name>.f32` written from `data` on first use.
   */
  tensorFile(
    key: string,
    name: string,
    data: () => Float32Array,
  ): { file: string; offset: number } {
    const layout = this.readJson<Layout>(key, LAYOUT) ?? {}
    const at = layout[name]?.offset ?? rowChunksOffset(layout, name)
    if (at !== undefined) return { file: join(this.entryDir(key), WEIGHTS), offset: at }
    const file = join(this.entryDir(key), `${name}.f32`)
    if (!existsSync(file)) {
      const x = data()
      const tmp = `${file}.tmp-${randomBytes(4).toString('hex')}`
      writeFileSync(tmp, new Uint8Array(x.buffer, x.byteOffset, x.byteLength))
      renameSync(tmp, file)
    }
    return { file, offset: 0 }
  }

  /** Reads a small JSON side file of an entry (e.g. the quantization report). */
  readJson<T>(key: string, name: string): T | undefined {
    const p = join(this.entryDir(key), name)
    return existsSync(p) ? (JSON.parse(readFileSync(p, 'utf8')) as T) : undefined
  }

  writeJson(key: string, name: string, value: unknown): void {
    const p = join(this.entryDir(key), name)
    const tmp = `${p}.tmp-${randomBytes(4).toString('hex')}`
    writeFileSync(tmp, JSON.stringify(value, null, 2))
    renameSync(tmp, p)
  }

  /**
   * The path of the entry's first graph (`variant`.onnx beside weights.bin), building it
   * with `build` when absent.
   */
  ensureEntry(
    key: string,
    variant: string,
    build: () => GraphBuilder,
  ): { path: string; fromCache: boolean } {
    const dir = this.entryDir(key)
    const path = join(dir, `${variant}.onnx`)
    if (existsSync(path) && existsSync(join(dir, WEIGHTS))) return { path, fromCache: true }
    mkdirSync(this.root, { recursive: true })
    const tmp = join(this.root, `.${key}.tmp-${randomBytes(4).toString('hex')}`)
    try {
      const builder = build()
      mkdirSync(tmp)
      const { proto, chunks } = toModelProto(builder, {
        externalData: { location: WEIGHTS, align: 4096 },
      })
      const fd = openSync(join(tmp, WEIGHTS), 'w')
      try {
        for (const c of chunks) writeSync(fd, c.data, 0, c.data.byteLength, c.offset)
      } finally {
        closeSync(fd)
      }
      const layout = Object.fromEntries(
        chunks.map((c) => [c.name, { offset: c.offset, length: c.data.byteLength }]),
      )
      writeFileSync(join(tmp, LAYOUT), JSON.stringify(layout))
      writeModelFile(join(tmp, `${variant}.onnx`), proto)
      rmSync(dir, { recursive: true, force: true })
      try {
        renameSync(tmp, dir)
      } catch (e) {
        // The cache is shared by every process on this data folder: another one may have
        // put the same entry in place meanwhile, which is as good as ours.
        if (!(existsSync(path) && existsSync(join(dir, WEIGHTS)))) throw e
        rmSync(tmp, { recursive: true, force: true })
        return { path, fromCache: true }
      }
    } catch (e) {
      rmSync(tmp, { recursive: true, force: true })
      throw e
    }
    return { path, fromCache: false }
  }

  /** Another graph over the same weights.bin (e.g. the insides variant), built on demand. */
  ensureVariant(
    key: string,
    variant: string,
    build: () => GraphBuilder,
  ): { path: string; fromCache: boolean } {
    const dir = this.entryDir(key)
    const path = join(dir, `${variant}.onnx`)
    if (existsSync(path)) return { path, fromCache: true }
    const layout = JSON.parse(readFileSync(join(dir, LAYOUT), 'utf8')) as Record<
      string,
      { offset: number; length: number }
    >
    const placed = new Map(Object.entries(layout))
    const { proto } = toModelProto(build(), { externalData: { location: WEIGHTS, placed } })
    writeModelFile(path, proto)
    return { path, fromCache: false }
  }
}
