// safetensors (https://github.com/huggingface/safetensors#format): 8-byte little-endian
// header length N, N bytes of JSON {name: {dtype, shape, data_offsets: [begin, end]}}, then
// the data.
import {
  closeSync,
  existsSync,
  fstatSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  writeFileSync,
  writeSync,
} from 'node:fs'
import { basename, dirname, join } from 'node:path'
import {
  ModelFormatError,
  SUPPORTED_WEIGHT_DTYPES,
  bf16ToF32,
  f16ToF32,
  f32ToBf16,
  f32ToF16,
  type TensorEntry,
  type WeightDType,
  type WeightSource,
} from '../arch/weights'

const BYTES: Record<WeightDType, number> = { F32: 4, F16: 2, BF16: 2 }

interface Located extends TensorEntry {
  begin: number
  end: number
}

class SafetensorsFile {
  readonly entries = new Map<string, Located>()
  readonly dataStart: number
  readonly headerText: string
  readonly size: number

  constructor(readonly path: string) {
    const file = path
    let fd: number
    try {
      fd = openSync(path, 'r')
    } catch {
      throw new ModelFormatError(file, 'cannot be opened')
    }
    try {
      this.size = fstatSync(fd).size
      if (this.size < 8)
        throw new ModelFormatError(file, `truncated: ${this.size} bytes, no header`)
      const lenBuf = Buffer.alloc(8)
      readSync(fd, lenBuf, 0, 8, 0)
      const n = Number(lenBuf.readBigUInt64LE(0))
      if (n > this.size - 8 || n > 100_000_000) {
        throw new ModelFormatError(
          file,
          `truncated or corrupt: header length ${n} exceeds file size ${this.size}`,
        )
      }
      const headerBuf = Buffer.alloc(n)
      readSync(fd, headerBuf, 0, n, 8)
      this.headerText = headerBuf.toString('utf8')
      this.dataStart = 8 + n
      let header: Record<string, unknown>
      try {
        header = JSON.parse(this.headerText)
      } catch {
        throw new ModelFormatError(file, 'corrupt header: not valid JSON')
      }
      this.parseHeader(file, header)
    } finally {
      closeSync(fd)
    }
  }

  private parseHeader(file: string, header: Record<string, unknown>): void {
    const dataSize = this.size - this.dataStart
    const spans: [number, number, string][] = []
    for (const [name, raw] of Object.entries(header)) {
      if (name === '__metadata__') continue
      const e = raw as { dtype?: string; shape?: number[]; data_offsets?: number[] }
      if (
        !e ||
        typeof e.dtype !== 'string' ||
        !Array.isArray(e.shape) ||
        !Array.isArray(e.data_offsets)
      ) {
        throw new ModelFormatError(file, `corrupt header entry for tensor ${name}`)
      }
      if (!SUPPORTED_WEIGHT_DTYPES.includes(e.dtype as WeightDType)) {
        throw new ModelFormatError(
          file,
          `tensor ${name} has unsupported dtype ${e.dtype} (supported: ${SUPPORTED_WEIGHT_DTYPES.join(', ')})`,
        )
      }
      const dtype = e.dtype as WeightDType
      const [begin, end] = e.data_offsets
      const count = e.shape.reduce((a, b) => a * b, 1)
      if (!(begin >= 0 && end >= begin && end - begin === count * BYTES[dtype])) {
        throw new ModelFormatError(
          file,
          `header offsets [${begin}, ${end}] of tensor ${name} do not match its shape [${e.shape}] ${dtype}`,
        )
      }
      if (end > dataSize) {
        throw new ModelFormatError(
          file,
          `truncated: tensor ${name} ends at byte ${end} but the data has ${dataSize} bytes`,
        )
      }
      spans.push([begin, end, name])
      this.entries.set(name, { name, dtype, shape: e.shape, file, begin, end })
    }
    spans.sort((a, b) => a[0] - b[0])
    for (let i = 1; i < spans.length; i++) {
      if (spans[i][0] < spans[i - 1][1]) {
        throw new ModelFormatError(
          file,
          `header offsets of tensors ${spans[i - 1][2]} and ${spans[i][2]} overlap`,
        )
      }
    }
  }

  /**
   * One positional read per tensor into its own buffer: F32 tensors are used in place, so
   * the process never holds the file and a copy of it at once.
   */
  f32(name: string): Float32Array {
    const e = this.entries.get(name)!
    const bytes = new Uint8Array(e.end - e.begin)
    const fd = openSync(this.path, 'r')
    try {
      let done = 0
      while (done < bytes.length) {
        const n = readSync(fd, bytes, done, bytes.length - done, this.dataStart + e.begin + done)
        if (n <= 0) throw new ModelFormatError(this.path, `truncated while reading tensor ${name}`)
        done += n
      }
    } finally {
      closeSync(fd)
    }
    if (e.dtype === 'F32') return new Float32Array(bytes.buffer)
    const half = new Uint16Array(bytes.buffer)
    return e.dtype === 'F16' ? f16ToF32(half) : bf16ToF32(half)
  }

  /** A sample of the data for the cache key: its first and last MiB. */
  sample(): Uint8Array[] {
    const fd = openSync(this.path, 'r')
    try {
      const n = Math.min(1 << 20, this.size - this.dataStart)
      const head = new Uint8Array(n)
      const tail = new Uint8Array(n)
      readSync(fd, head, 0, n, this.dataStart)
      readSync(fd, tail, 0, n, this.size - n)
      return [head, tail]
    } finally {
      closeSync(fd)
    }
  }
}

/** All the weights of a model folder: model.safetensors, or the shards an index names. */
export class SafetensorsWeights implements WeightSource {
  private readonly files: SafetensorsFile[] = []
  private readonly byName = new Map<string, SafetensorsFile>()

  constructor(readonly dir: string) {
    const single = join(dir, 'model.safetensors')
    const index = join(dir, 'model.safetensors.index.json')
    let paths: string[]
    if (existsSync(index)) {
      let map: Record<string, string>
      try {
        map = JSON.parse(readFileSync(index, 'utf8')).weight_map
      } catch {
        throw new ModelFormatError(index, 'is not valid JSON')
      }
      if (!map || typeof map !== 'object') throw new ModelFormatError(index, 'has no weight_map')
      paths = [...new Set(Object.values(map))].map((f) => join(dir, f))
      for (const p of paths)
        if (!existsSync(p))
          throw new ModelFormatError(p, 'is missing (named in model.safetensors.index.json)')
    } else if (existsSync(single)) {
      paths = [single]
    } else {
      throw new ModelFormatError(dir, 'has no model.safetensors or model.safetensors.index.json')
    }
    for (const p of paths) {
      const f = new SafetensorsFile(p)
      this.files.push(f)
      for (const name of f.entries.keys()) this.byName.set(name, f)
    }
  }

  has(name: string): boolean {
    return this.byName.has(name)
  }
  entry(name: string): TensorEntry {
    const f = this.byName.get(name)
    if (!f) throw new ModelFormatError(this.files[0]?.path ?? this.dir, `missing tensor ${name}`)
    return f.entries.get(name)!
  }
  f32(name: string): Float32Array {
    this.entry(name)
    return this.byName.get(name)!.f32(name)
  }
  names(): string[] {
    return [...this.byName.keys()]
  }
  /** A sample of every file's data, for the graph cache key. */
  samples(): Uint8Array[] {
    return this.files.flatMap((f) => f.sample())
  }
  /** What identifies the weights for the graph cache: headers and sizes of every file. */
  fingerprintParts(): string[] {
    return this.files.map((f) => `${basename(f.path)}:${f.size}:${f.headerText}`)
  }
  filePaths(): string[] {
    return this.files.map((f) => f.path)
  }
}

export interface TensorToWrite {
  name: string
  shape: number[]
  data: Float32Array
}

/** Writes one safetensors file (atomically: temp file, then rename). */
export function writeSafetensors(
  path: string,
  tensors: TensorToWrite[],
  dtype: WeightDType = 'F32',
  metadata: Record<string, string> = { format: 'pt' },
): void {
  const header: Record<string, unknown> = { __metadata__: metadata }
  const blobs: Uint8Array[] = []
  let offset = 0
  for (const t of tensors) {
    const words = dtype === 'F32' ? t.data : dtype === 'F16' ? f32ToF16(t.data) : f32ToBf16(t.data)
    const bytes = new Uint8Array(words.buffer, words.byteOffset, words.byteLength)
    header[t.name] = { dtype, shape: t.shape, data_offsets: [offset, offset + bytes.byteLength] }
    blobs.push(bytes)
    offset += bytes.byteLength
  }
  let json = JSON.stringify(header)
  json += ' '.repeat((8 - ((8 + Buffer.byteLength(json)) % 8)) % 8)
  const len = Buffer.alloc(8)
  len.writeBigUInt64LE(BigInt(Buffer.byteLength(json)))
  const tmp = join(dirname(path), `.${basename(path)}.tmp`)
  const fd = openSync(tmp, 'w')
  try {
    writeSync(fd, len)
    writeSync(fd, Buffer.from(json))
    for (const b of blobs) writeSync(fd, b)
  } finally {
    closeSync(fd)
  }
  renameSync(tmp, path)
}

/** Writes `model.safetensors`, or `shards` files plus model.safetensors.index.json. */
export function writeModelWeights(
  dir: string,
  tensors: TensorToWrite[],
  dtype: WeightDType = 'F32',
  shards = 1,
): void {
  if (shards <= 1) return writeSafetensors(join(dir, 'model.safetensors'), tensors, dtype)
  const per = Math.ceil(tensors.length / shards)
  const weightMap: Record<string, string> = {}
  let total = 0
  for (let s = 0; s < shards; s++) {
    const file = `model-${String(s + 1).padStart(5, '0')}-of-${String(shards).padStart(5, '0')}.safetensors`
    const part = tensors.slice(s * per, (s + 1) * per)
    for (const t of part) {
      weightMap[t.name] = file
      total += t.data.length * BYTES[dtype]
    }
    writeSafetensors(join(dir, file), part, dtype)
  }
  const index = { metadata: { total_size: total }, weight_map: weightMap }
  writeFileSync(join(dir, 'model.safetensors.index.json'), JSON.stringify(index, null, 2))
}
