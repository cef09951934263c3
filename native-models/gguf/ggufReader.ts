// GGUF v2/v3 header parser (ggml-org/ggml docs/gguf.md): metadata, tensor infos and where
// each tensor's data lies. It reads a buffer that holds at least the header (a prefix of
// the file is enough: io/ggufFile.ts reads more when NeedMoreBytes says so), so tensor data
// never has to be in memory. v2 and v3 share one layout (64-bit counts; v3 only adds
// big-endian files, which carry the version byte-swapped and are refused here).

import {
  GGUF_DEFAULT_ALIGNMENT,
  GGUF_MAGIC,
  GgmlType,
  GgufValueType,
  blockLayout,
} from './ggmlTypes'
import { SUPPORTED_GGML_TYPES } from './ggmlTypes'
import { alignOffset, type GgufScalar } from './ggufWriter'

export interface GgufTensorInfo {
  name: string
  dims: number[]
  type: GgmlType
  /** Absolute offset in the file. */
  offset: number
  byteLength: number
}

export interface ParsedGguf {
  version: number
  metadata: Map<string, GgufScalar | GgufScalar[]>
  metadataTypes: Map<string, GgufValueType>
  tensors: GgufTensorInfo[]
  dataOffset: number
}

/** The header runs past the buffer, which is shorter than the file: read more and retry. */
export class NeedMoreBytes extends Error {
  constructor(readonly atLeast: number) {
    super(`GGUF header needs at least ${atLeast} bytes`)
    this.name = 'NeedMoreBytes'
  }
}

/** A file that is not a readable GGUF; the message is the problem, without the file name. */
export class GgufFormatError extends Error {
  constructor(problem: string) {
    super(problem)
    this.name = 'GgufFormatError'
  }
}

// ignoreBOM: a token may start with U+FEFF (Gemma's "\uFEFF#"), which must not be dropped.
const textDecoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true })

export interface ParseOptions {
  /** Size of the whole file when `bytes` may be a prefix of it (default: bytes.length). */
  fileSize?: number
  /** Also check that tensor data fits in the file and no two tensors overlap (default true). */
  checkData?: boolean
}

export function parseGguf(bytes: Uint8Array, options: ParseOptions = {}): ParsedGguf {
  const fileSize = options.fileSize ?? bytes.length
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let at = 0
  const need = (n: number) => {
    if (at + n <= bytes.length) return
    if (bytes.length < fileSize) throw new NeedMoreBytes(Math.min(fileSize, (at + n) * 2))
    throw new GgufFormatError(`is truncated: the header ends past the file's ${fileSize} bytes`)
  }
  const u32 = () => (need(4), (at += 4), view.getUint32(at - 4, true))
  const u64 = () => {
    need(8)
    at += 8
    const v = view.getBigUint64(at - 8, true)
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new GgufFormatError(`has a count or size too large to be real (${v}) at byte ${at - 8}`)
    }
    return Number(v)
  }
  const string = () => {
    const len = u64()
    if (len > fileSize) throw new GgufFormatError(`has a string of ${len} bytes at byte ${at - 8}`)
    need(len)
    at += len
    return textDecoder.decode(bytes.subarray(at - len, at))
  }
  const fixed = (size: number, read: () => GgufScalar) => () => {
    need(size)
    const v = read()
    at += size
    return v
  }
  const reads: Partial<Record<GgufValueType, () => GgufScalar>> = {
    [GgufValueType.UINT8]: fixed(1, () => view.getUint8(at)),
    [GgufValueType.INT8]: fixed(1, () => view.getInt8(at)),
    [GgufValueType.BOOL]: fixed(1, () => view.getUint8(at) !== 0),
    [GgufValueType.UINT16]: fixed(2, () => view.getUint16(at, true)),
    [GgufValueType.INT16]: fixed(2, () => view.getInt16(at, true)),
    [GgufValueType.UINT32]: fixed(4, () => view.getUint32(at, true)),
    [GgufValueType.INT32]: fixed(4, () => view.getInt32(at, true)),
    [GgufValueType.FLOAT32]: fixed(4, () => view.getFloat32(at, true)),
    [GgufValueType.UINT64]: fixed(8, () => view.getBigUint64(at, true)),
    [GgufValueType.INT64]: fixed(8, () => view.getBigInt64(at, true)),
    [GgufValueType.FLOAT64]: fixed(8, () => view.getFloat64(at, true)),
    [GgufValueType.STRING]: string,
  }
  const scalar = (type: GgufValueType, key: string): GgufScalar => {
    const read = reads[type]
    if (!read) throw new GgufFormatError(`metadata ${key} has unknown value type ${type}`)
    return read()
  }

  if (fileSize < 4 || u32() !== GGUF_MAGIC) throw new GgufFormatError('is not a GGUF file')
  const version = u32()
  if (version !== 2 && version !== 3) {
    const hint = version > 0xffff ? ' (a big-endian file?)' : ''
    throw new GgufFormatError(`is GGUF version ${version}${hint}; supported: 2, 3`)
  }
  const tensorCount = u64()
  const kvCount = u64()
  const metadata = new Map<string, GgufScalar | GgufScalar[]>()
  const metadataTypes = new Map<string, GgufValueType>()
  for (let i = 0; i < kvCount; i++) {
    const key = string()
    const type = u32() as GgufValueType
    metadataTypes.set(key, type)
    if (type === GgufValueType.ARRAY) {
      const itemType = u32() as GgufValueType
      const n = u64()
      if (n > fileSize) throw new GgufFormatError(`metadata ${key} claims ${n} items`)
      const items: GgufScalar[] = new Array(n)
      for (let j = 0; j < n; j++) items[j] = scalar(itemType, key)
      metadata.set(key, items)
    } else {
      metadata.set(key, scalar(type, key))
    }
  }
  const alignment = Number(metadata.get('general.alignment') ?? GGUF_DEFAULT_ALIGNMENT)
  if (!Number.isInteger(alignment) || alignment <= 0) {
    throw new GgufFormatError(`has general.alignment ${alignment}`)
  }
  const infos: Omit<GgufTensorInfo, 'byteLength'>[] = []
  for (let i = 0; i < tensorCount; i++) {
    const name = string()
    const nDims = u32()
    if (nDims > 4) throw new GgufFormatError(`tensor ${name} has ${nDims} dimensions (at most 4)`)
    const dims: number[] = []
    for (let d = 0; d < nDims; d++) dims.push(u64())
    const type = u32() as GgmlType
    infos.push({ name, dims, type, offset: u64() })
  }
  const dataOffset = alignOffset(at, alignment)
  const tensors = infos.map((t) => {
    const layout = blockLayout[t.type] as { elements: number; bytes: number } | undefined
    if (!layout) {
      throw new GgufFormatError(
        `tensor ${t.name} has type ${GgmlType[t.type] ?? t.type}, not supported ` +
          `(supported: ${SUPPORTED_GGML_TYPES.join(', ')})`,
      )
    }
    const count = t.dims.reduce((a, b) => a * b, 1)
    if ((t.dims[0] ?? 1) % layout.elements !== 0) {
      throw new GgufFormatError(
        `tensor ${t.name} has rows of ${t.dims[0]}, not a multiple of ${GgmlType[t.type]}'s block of ${layout.elements}`,
      )
    }
    if (t.offset % alignment) throw new GgufFormatError(`tensor ${t.name} is not aligned`)
    const byteLength = (count / layout.elements) * layout.bytes
    return { ...t, offset: dataOffset + t.offset, byteLength }
  })
  if (options.checkData !== false) checkTensorData(tensors, fileSize)
  return { version, metadata, metadataTypes, tensors, dataOffset }
}

function checkTensorData(tensors: GgufTensorInfo[], fileSize: number): void {
  const names = new Set<string>()
  for (const t of tensors) {
    if (names.has(t.name)) throw new GgufFormatError(`has two tensors named ${t.name}`)
    names.add(t.name)
    if (t.offset + t.byteLength > fileSize) {
      throw new GgufFormatError(
        `is truncated or corrupt: tensor ${t.name} ends at byte ${t.offset + t.byteLength}, ` +
          `past the file's ${fileSize} bytes`,
      )
    }
  }
  const byOffset = [...tensors].sort((a, b) => a.offset - b.offset)
  for (let i = 1; i < byOffset.length; i++) {
    const [prev, next] = [byOffset[i - 1], byOffset[i]]
    if (prev.offset + prev.byteLength > next.offset) {
      throw new GgufFormatError(`tensors ${prev.name} and ${next.name} overlap in the file`)
    }
  }
}
