// GGUF v3 encoder (ggml-org/ggml docs/gguf.md): header, metadata key/values, tensor infos,
// padding to the alignment, then each tensor's bytes at an aligned offset. It yields chunks
// so a 500 MB model is written tensor by tensor, never assembled in one buffer.

import {
  GGUF_DEFAULT_ALIGNMENT,
  GGUF_MAGIC,
  GGUF_VERSION,
  GgmlType,
  GgufValueType,
  tensorByteLength,
} from './ggmlTypes'

type ScalarType = Exclude<GgufValueType, GgufValueType.ARRAY>
export type GgufScalar = number | bigint | boolean | string
export type GgufValue =
  | { type: ScalarType; value: GgufScalar }
  | { type: GgufValueType.ARRAY; itemType: ScalarType; value: GgufScalar[] }

/** Typed constructors: JS numbers carry no width, GGUF keys do (llama.cpp checks them). */
export const gguf = {
  u32: (value: number): GgufValue => ({ type: GgufValueType.UINT32, value }),
  i32: (value: number): GgufValue => ({ type: GgufValueType.INT32, value }),
  u64: (value: number): GgufValue => ({ type: GgufValueType.UINT64, value }),
  f32: (value: number): GgufValue => ({ type: GgufValueType.FLOAT32, value }),
  bool: (value: boolean): GgufValue => ({ type: GgufValueType.BOOL, value }),
  str: (value: string): GgufValue => ({ type: GgufValueType.STRING, value }),
  strings: (value: string[]): GgufValue => ({
    type: GgufValueType.ARRAY,
    itemType: GgufValueType.STRING,
    value,
  }),
  i32s: (value: number[]): GgufValue => ({
    type: GgufValueType.ARRAY,
    itemType: GgufValueType.INT32,
    value,
  }),
  f32s: (value: number[]): GgufValue => ({
    type: GgufValueType.ARRAY,
    itemType: GgufValueType.FLOAT32,
    value,
  }),
}

export interface GgufTensor {
  /** At most 64 bytes (spec). */
  name: string
  /** ggml order: dims[0] is the contiguous one, i.e. the reverse of a row-major shape. */
  dims: number[]
  type: GgmlType
  /** Called once, when the writer reaches this tensor: encoding is deferred to bound memory. */
  encode(): Uint8Array
}

export interface GgufFile {
  metadata: [string, GgufValue][]
  tensors: GgufTensor[]
  alignment?: number
}

const textEncoder = new TextEncoder()

type ScalarWriter = [number, (view: DataView, at: number, v: GgufScalar) => void]
const scalarWriters: Record<Exclude<ScalarType, GgufValueType.STRING>, ScalarWriter> = {
  [GgufValueType.UINT8]: [1, (w, at, v) => w.setUint8(at, Number(v))],
  [GgufValueType.INT8]: [1, (w, at, v) => w.setInt8(at, Number(v))],
  [GgufValueType.BOOL]: [1, (w, at, v) => w.setUint8(at, v ? 1 : 0)],
  [GgufValueType.UINT16]: [2, (w, at, v) => w.setUint16(at, Number(v), true)],
  [GgufValueType.INT16]: [2, (w, at, v) => w.setInt16(at, Number(v), true)],
  [GgufValueType.UINT32]: [4, (w, at, v) => w.setUint32(at, Number(v), true)],
  [GgufValueType.INT32]: [4, (w, at, v) => w.setInt32(at, Number(v), true)],
  [GgufValueType.FLOAT32]: [4, (w, at, v) => w.setFloat32(at, Number(v), true)],
  [GgufValueType.UINT64]: [8, (w, at, v) => w.setBigUint64(at, BigInt(v), true)],
  [GgufValueType.INT64]: [8, (w, at, v) => w.setBigInt64(at, BigInt(v), true)],
  [GgufValueType.FLOAT64]: [8, (w, at, v) => w.setFloat64(at, Number(v), true)],
}

/** Little-endian append-only byte buffer for the header. */
class ByteSink {
  private bytes = new Uint8Array(1 << 16)
  private view = new DataView(this.bytes.buffer)
  length = 0

  private reserve(n: number): void {
    if (this.length + n <= this.bytes.length) return
    let size = this.bytes.length * 2
    while (size < this.length + n) size *= 2
    const next = new Uint8Array(size)
    next.set(this.bytes.subarray(0, this.length))
    this.bytes = next
    this.view = new DataView(next.buffer)
  }
  u8(v: number): void {
    this.reserve(1)
    this.view.setUint8(this.length++, v)
  }
  u32(v: number): void {
    this.reserve(4)
    this.view.setUint32(this.length, v, true)
    this.length += 4
  }
  u64(v: number | bigint): void {
    this.reserve(8)
    this.view.setBigUint64(this.length, BigInt(v), true)
    this.length += 8
  }
  scalar(type: ScalarType, v: GgufScalar): void {
    if (type === GgufValueType.STRING) return this.string(String(v))
    const [size, write] = scalarWriters[type]
    this.reserve(size)
    write(this.view, this.length, v)
    this.length += size
  }
  string(s: string): void {
    const utf8 = textEncoder.encode(s)
    this.u64(utf8.length)
    this.raw(utf8)
  }
  raw(b: Uint8Array): void {
    this.reserve(b.length)
    this.bytes.set(b, this.length)
    this.length += b.length
  }
  pad(alignment: number): void {
    const n = (alignment - (this.length % alignment)) % alignment
    this.reserve(n)
    this.length += n // the buffer is zero-filled, and padding must be 0x00
  }
  take(): Uint8Array {
    return this.bytes.slice(0, this.length)
  }
}

export function alignOffset(offset: number, alignment: number): number {
  return offset + ((alignment - (offset % alignment)) % alignment)
}

/** Header, metadata and tensor infos, padded so tensor data starts aligned. */
export function encodeGgufHeader(file: GgufFile): Uint8Array {
  const alignment = file.alignment ?? GGUF_DEFAULT_ALIGNMENT
  const sink = new ByteSink()
  sink.u32(GGUF_MAGIC)
  sink.u32(GGUF_VERSION)
  sink.u64(file.tensors.length)
  sink.u64(file.metadata.length)
  for (const [key, value] of file.metadata) {
    sink.string(key)
    sink.u32(value.type)
    if (value.type === GgufValueType.ARRAY) {
      sink.u32(value.itemType)
      sink.u64(value.value.length)
      for (const item of value.value) sink.scalar(value.itemType, item)
    } else {
      sink.scalar(value.type, value.value)
    }
  }
  let offset = 0
  for (const tensor of file.tensors) {
    if (textEncoder.encode(tensor.name).length > 64)
      throw new Error(`name too long: ${tensor.name}`)
    sink.string(tensor.name)
    sink.u32(tensor.dims.length)
    for (const d of tensor.dims) sink.u64(d)
    sink.u32(tensor.type)
    sink.u64(offset)
    offset = alignOffset(offset + tensorSize(tensor), alignment)
  }
  sink.pad(alignment)
  return sink.take()
}

export function tensorSize(tensor: Pick<GgufTensor, 'dims' | 'type'>): number {
  return tensorByteLength(
    tensor.type,
    tensor.dims.reduce((a, b) => a * b, 1),
  )
}

/**
 * The whole file as a sequence of chunks, in file order. afterTensor(i) runs once the
 * consumer has taken tensor i's chunks (its data and padding): a progress hook.
 */
export function* ggufChunks(
  file: GgufFile,
  afterTensor?: (index: number) => void,
): Generator<Uint8Array> {
  const alignment = file.alignment ?? GGUF_DEFAULT_ALIGNMENT
  yield encodeGgufHeader(file)
  for (const [index, tensor] of file.tensors.entries()) {
    const data = tensor.encode()
    const expected = tensorSize(tensor)
    if (data.length !== expected) {
      throw new Error(`${tensor.name}: encoded ${data.length} bytes, expected ${expected}`)
    }
    yield data
    const padding = alignOffset(data.length, alignment) - data.length
    if (padding) yield new Uint8Array(padding)
    afterTensor?.(index)
  }
}
