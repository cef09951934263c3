import { onnx } from 'onnx-proto'

// A small writer that appends nodes to an existing ONNX GraphProto. Autodiff works on the
// GraphProto that the builder emits (whatever helper built it), so the gradient rules only
// depend on the ONNX operator spec, not on a builder's TypeScript API.

export type AttrValue = number | number[] | string | onnx.ITensorProto
export type Attrs = Record<string, AttrValue>
/** Element type of the values being differentiated: FLOAT (1) or DOUBLE (11, for checks). */
export type FloatType = 1 | 11

const A = onnx.AttributeProto.AttributeType

export function attribute(
  name: string,
  value: AttrValue,
  floatAttrs: Set<string>,
): onnx.IAttributeProto {
  if (typeof value === 'string') return { name, type: A.STRING, s: new TextEncoder().encode(value) }
  if (Array.isArray(value)) return { name, type: A.INTS, ints: value }
  if (typeof value === 'number') {
    return floatAttrs.has(name) || !Number.isInteger(value)
      ? { name, type: A.FLOAT, f: value }
      : { name, type: A.INT, i: value }
  }
  return { name, type: A.TENSOR, t: value }
}

/** Reads an attribute as a plain JS value (int64 fields decode as Long). */
export function readAttr(node: onnx.INodeProto, name: string): number | number[] | undefined {
  const a = node.attribute?.find((x) => x.name === name)
  if (!a) return undefined
  if (a.type === A.INT) return Number(a.i)
  if (a.type === A.FLOAT) return Number(a.f)
  if (a.type === A.INTS) return (a.ints ?? []).map(Number)
  return undefined
}

/** Values of a float tensor as doubles, or of an int tensor as numbers (raw or typed fields). */
export function tensorValues(t: onnx.ITensorProto): number[] {
  const type = t.dataType ?? 0
  const raw = t.rawData
  if (raw && raw.length) {
    const buf = raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength)
    if (type === 7) return Array.from(new BigInt64Array(buf), Number)
    if (type === 6) return Array.from(new Int32Array(buf))
    if (type === 1) return Array.from(new Float32Array(buf))
    if (type === 11) return Array.from(new Float64Array(buf))
    throw new Error(`tensorValues: raw data type ${type} unsupported`)
  }
  if (type === 7) return (t.int64Data ?? []).map(Number)
  if (type === 6) return (t.int32Data ?? []).map(Number)
  if (type === 1) return (t.floatData ?? []).map(Number)
  if (type === 11) return (t.doubleData ?? []).map(Number)
  throw new Error(`tensorValues: data type ${type} unsupported`)
}

function int64Tensor(values: number[], dims: number[]): onnx.ITensorProto {
  return {
    dataType: 7,
    dims,
    rawData: new Uint8Array(BigInt64Array.from(values.map(BigInt)).buffer),
  }
}

export function floatTensor(values: number[], dims: number[], type: FloatType): onnx.ITensorProto {
  const arr = type === 11 ? Float64Array.from(values) : Float32Array.from(values)
  return { dataType: type, dims, rawData: new Uint8Array(arr.buffer) }
}

const FLOAT_ATTRS = new Set(['alpha', 'beta', 'epsilon', 'value_float', 'gamma'])

export class GraphEditor {
  private counter = 0
  private readonly constCache = new Map<string, string>()
  readonly graph: onnx.IGraphProto

  constructor(
    graph: onnx.IGraphProto,
    readonly floatType: FloatType,
    readonly prefix = 'grad',
  ) {
    this.graph = graph
    graph.node ??= []
    graph.initializer ??= []
  }

  fresh(hint: string): string {
    return `${this.prefix}/${hint}_${this.counter++}`
  }

  /** Appends one node and returns the name of its first output. */
  op(opType: string, inputs: string[], attrs: Attrs = {}, outputs = 1, domain = ''): string {
    return this.opN(opType, inputs, attrs, outputs, domain)[0]
  }

  opN(opType: string, inputs: string[], attrs: Attrs = {}, outputs = 1, domain = ''): string[] {
    const names = Array.from({ length: outputs }, () => this.fresh(opType))
    this.graph.node!.push({
      opType,
      domain,
      input: inputs,
      output: names,
      name: names[0],
      attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v, FLOAT_ATTRS)),
    })
    return names
  }

  /** Appends one node whose single output gets a name chosen by the caller (a graph output). */
  opTo(output: string, opType: string, inputs: string[], attrs: Attrs = {}): string {
    this.graph.node!.push({
      opType,
      input: inputs,
      output: [output],
      name: output,
      attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v, FLOAT_ATTRS)),
    })
    return output
  }

  /** An int64 vector constant (shapes, axes, pads), shared by every use. */
  ints(values: number[], scalar = false): string {
    return this.cached(`i${scalar ? 's' : ''}:${values.join(',')}`, () =>
      int64Tensor(values, scalar ? [] : [values.length]),
    )
  }

  /** A float scalar constant of the graph's float type. */
  scalar(value: number): string {
    return this.cached(`f:${value}`, () => floatTensor([value], [], this.floatType))
  }

  zeros(shape: number[]): string {
    return this.op('ConstantOfShape', [this.ints(shape)], {
      value: floatTensor([0], [1], this.floatType),
    })
  }

  private cached(key: string, make: () => onnx.ITensorProto): string {
    let name = this.constCache.get(key)
    if (!name) {
      name = this.fresh('const')
      this.graph.initializer!.push({ ...make(), name })
      this.constCache.set(key, name)
    }
    return name
  }
}
