// The inspectable graph: plain data that the builder records and that other modules (the
// autodiff of the training issue, the quantizer) walk and extend.

export type DType =
  'float32' | 'float16' | 'bfloat16' | 'int64' | 'int32' | 'int8' | 'uint8' | 'bool'

/** A dimension: a fixed size, or a symbolic name that ort resolves at run time. */
export type Dim = number | string

export type TypedArrayData =
  Float32Array | Uint16Array | BigInt64Array | Int32Array | Int8Array | Uint8Array

/** A named value in the graph: a graph input, an initializer, or a node output. */
export interface Value {
  readonly name: string
  readonly dtype: DType
  /** Known for inputs and initializers; undefined for intermediates (no shape inference). */
  readonly shape?: readonly Dim[]
}

/** Attributes carry their ONNX kind explicitly, so 1.0 (float) is never mistaken for 1 (int). */
export type Attr =
  | { kind: 'int'; value: number }
  | { kind: 'float'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'ints'; value: number[] }
  | { kind: 'floats'; value: number[] }
  | { kind: 'tensor'; value: Initializer }

export interface GraphNode {
  readonly name: string
  readonly opType: string
  /** '' for the default ONNX domain, 'com.microsoft' for ort contrib ops. */
  readonly domain: string
  /** Value names; '' marks an omitted optional input. */
  readonly inputs: string[]
  readonly outputs: string[]
  readonly attributes: Record<string, Attr>
}

export interface Initializer {
  readonly name: string
  readonly dtype: DType
  readonly dims: readonly number[]
  /** Element data; for float16/bfloat16 the raw 16-bit words. */
  readonly data: TypedArrayData
}

export const attr = {
  int: (value: number): Attr => ({ kind: 'int', value }),
  float: (value: number): Attr => ({ kind: 'float', value }),
  string: (value: string): Attr => ({ kind: 'string', value }),
  ints: (value: number[]): Attr => ({ kind: 'ints', value }),
  floats: (value: number[]): Attr => ({ kind: 'floats', value }),
}

export function dtypeByteSize(dtype: DType): number {
  switch (dtype) {
    case 'float32':
    case 'int32':
      return 4
    case 'int64':
      return 8
    case 'float16':
    case 'bfloat16':
      return 2
    default:
      return 1
  }
}
