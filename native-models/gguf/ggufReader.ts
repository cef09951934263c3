// A small GGUF v3 parser: tests read our own output back with it, and `glassbox export`
// can print what it wrote. It reads from one in-memory buffer (fine for test-sized files).

import { GGUF_DEFAULT_ALIGNMENT, GGUF_MAGIC, GgmlType, GgufValueType } from './ggmlTypes'
import { alignOffset, tensorSize, type GgufScalar } from './ggufWriter'

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

const textDecoder = new TextDecoder()

export function parseGguf(bytes: Uint8Array): ParsedGguf {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let at = 0
  const u32 = () => ((at += 4), view.getUint32(at - 4, true))
  const u64 = () => ((at += 8), Number(view.getBigUint64(at - 8, true)))
  const string = () => {
    const len = u64()
    at += len
    return textDecoder.decode(bytes.subarray(at - len, at))
  }
  const scalar = (type: GgufValueType): GgufScalar => {
    const reads: Partial<Record<GgufValueType, () => GgufScalar>> = {
      [GgufValueType.UINT8]: () => view.getUint8(at++),
      [GgufValueType.INT8]: () => view.getInt8(at++),
      [GgufValueType.BOOL]: () => view.getUint8(at++) === 1,
      [GgufValueType.UINT16]: () => ((at += 2), view.getUint16(at - 2, true)),
      [GgufValueType.INT16]: () => ((at += 2), view.getInt16(at - 2, true)),
      [GgufValueType.UINT32]: () => ((at += 4), view.getUint32(at - 4, true)),
      [GgufValueType.INT32]: () => ((at += 4), view.getInt32(at - 4, true)),
      [GgufValueType.FLOAT32]: () => ((at += 4), view.getFloat32(at - 4, true)),
      [GgufValueType.UINT64]: () => ((at += 8), view.getBigUint64(at - 8, true)),
      [GgufValueType.INT64]: () => ((at += 8), view.getBigInt64(at - 8, true)),
      [GgufValueType.FLOAT64]: () => ((at += 8), view.getFloat64(at - 8, true)),
      [GgufValueType.STRING]: string,
    }
    const read = reads[type]
    if (!read) throw new Error(`unknown GGUF value type ${type} at byte ${at}`)
    return read()
  }

  if (u32() !== GGUF_MAGIC) throw new Error('not a GGUF file')
  const version = u32()
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
      const items: GgufScalar[] = []
      for (let j = 0; j < n; j++) items.push(scalar(itemType))
      metadata.set(key, items)
    } else {
      metadata.set(key, scalar(type))
    }
  }
  const alignment = Number(metadata.get('general.alignment') ?? GGUF_DEFAULT_ALIGNMENT)
  const infos: Omit<GgufTensorInfo, 'byteLength'>[] = []
  for (let i = 0; i < tensorCount; i++) {
    const name = string()
    const nDims = u32()
    const dims: number[] = []
    for (let d = 0; d < nDims; d++) dims.push(u64())
    const type = u32() as GgmlType
    infos.push({ name, dims, type, offset: u64() })
  }
  const dataOffset = alignOffset(at, alignment)
  const tensors = infos.map((t) => {
    if (t.offset % alignment) throw new Error(`${t.name} is not aligned`)
    return { ...t, offset: dataOffset + t.offset, byteLength: tensorSize(t) }
  })
  return { version, metadata, metadataTypes, tensors, dataOffset }
}
