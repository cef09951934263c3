import { onnx } from 'onnx-proto'
import { ONNX_DTYPE, type GraphBuilder } from './builder'
import type { Attr, Initializer, Value } from './types'

export const DEFAULT_OPSET = 17
/** com.microsoft contrib ops (MatMulNBits) are versioned 1. */
export const MS_OPSET = 1

export interface ExternalDataOptions {
  /** File name, relative to the model file, that holds the large initializers. */
  location: string
  /** Initializers at least this many bytes go to the external file (default 1 KiB). */
  minBytes?: number
  /** Byte alignment of each initializer in the file (default 64; 4096 lets ort mmap). */
  align?: number
  /**
   * Reuse an existing external file: initializers named here reference their recorded
   * place, all others are embedded, and no chunks are produced.
   */
  placed?: Map<string, { offset: number; length: number }>
}

/** One piece of the external data file: `data` belongs at byte `offset`. */
export interface ExternalChunk {
  offset: number
  data: Uint8Array
  name: string
}

export interface ModelProtoOptions {
  opset?: number
  externalData?: ExternalDataOptions
  producer?: string
  docString?: string
}

function bytesOf(init: Initializer): Uint8Array {
  const d = init.data
  return new Uint8Array(d.buffer, d.byteOffset, d.byteLength)
}

function valueInfo(v: Value): onnx.IValueInfoProto {
  const shape = v.shape
    ? { dim: v.shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) }
    : undefined
  return { name: v.name, type: { tensorType: { elemType: ONNX_DTYPE[v.dtype], shape } } }
}

function tensorProto(init: Initializer): onnx.ITensorProto {
  return {
    name: init.name,
    dataType: ONNX_DTYPE[init.dtype],
    dims: [...init.dims],
    rawData: bytesOf(init),
  }
}

function attributeProto(name: string, a: Attr): onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType
  switch (a.kind) {
    case 'int':
      return { name, type: T.INT, i: a.value }
    case 'float':
      return { name, type: T.FLOAT, f: a.value }
    case 'string':
      return { name, type: T.STRING, s: new TextEncoder().encode(a.value) }
    case 'ints':
      return { name, type: T.INTS, ints: a.value }
    case 'floats':
      return { name, type: T.FLOATS, floats: a.value }
    case 'tensor':
      return { name, type: T.TENSOR, t: tensorProto(a.value) }
  }
}

/**
 * The builder's graph as an onnx.ModelProto (opset `opset` + com.microsoft). With
 * `externalData`, large initializers are referenced by offset into a side file instead of
 * embedded (needed above protobuf's 2 GB limit); `chunks` says what to write there.
 */
export function toModelProto(
  b: GraphBuilder,
  opts: ModelProtoOptions = {},
): { proto: onnx.ModelProto; chunks: ExternalChunk[] } {
  const chunks: ExternalChunk[] = []
  let offset = 0
  const ext = opts.externalData
  const external = (init: Initializer, at: number, length: number): onnx.ITensorProto => ({
    name: init.name,
    dataType: ONNX_DTYPE[init.dtype],
    dims: [...init.dims],
    dataLocation: onnx.TensorProto.DataLocation.EXTERNAL,
    externalData: [
      { key: 'location', value: ext!.location },
      { key: 'offset', value: String(at) },
      { key: 'length', value: String(length) },
    ],
  })
  const initializer = b.initializers.map((init) => {
    const bytes = bytesOf(init)
    if (!ext) return tensorProto(init)
    if (ext.placed) {
      const p = ext.placed.get(init.name)
      return p && p.length === bytes.byteLength
        ? external(init, p.offset, p.length)
        : tensorProto(init)
    }
    if (bytes.byteLength < (ext.minBytes ?? 1024)) return tensorProto(init)
    const align = ext.align ?? 64
    offset = Math.ceil(offset / align) * align
    chunks.push({ offset, data: bytes, name: init.name })
    const t = external(init, offset, bytes.byteLength)
    offset += bytes.byteLength
    return t
  })
  const graph: onnx.IGraphProto = {
    name: b.graphName,
    input: b.inputs.map(valueInfo),
    output: b.outputs.map(valueInfo),
    initializer,
    node: b.nodes.map((n) => ({
      name: n.name,
      opType: n.opType,
      domain: n.domain,
      input: n.inputs,
      output: n.outputs,
      attribute: Object.entries(n.attributes).map(([k, a]) => attributeProto(k, a)),
    })),
  }
  const proto = onnx.ModelProto.create({
    irVersion: 8,
    producerName: opts.producer ?? 'glassbox',
    docString: opts.docString ?? '',
    opsetImport: [
      { domain: '', version: opts.opset ?? DEFAULT_OPSET },
      { domain: 'com.microsoft', version: MS_OPSET },
    ],
    graph,
  })
  return { proto, chunks }
}

/** The model as protobuf bytes, all initializers embedded. */
export function serializeModel(
  b: GraphBuilder,
  opts: Omit<ModelProtoOptions, 'externalData'> = {},
): Uint8Array {
  return onnx.ModelProto.encode(toModelProto(b, opts).proto).finish()
}
