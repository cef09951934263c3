import {
  attr,
  type Attr,
  type DType,
  type Dim,
  type GraphNode,
  type Initializer,
  type Value,
} from './types'

export const MS_DOMAIN = 'com.microsoft'

export interface OpOptions {
  domain?: string
  /** Number of outputs (default 1). */
  outputs?: number
  /** Output dtype when it is not the first input's (e.g. Shape → int64). */
  dtype?: DType
  /** Per-output dtypes, for ops whose outputs differ (TopK: values, int64 indices). */
  dtypes?: DType[]
  /** Name hint for the outputs. */
  name?: string
  /**
   * Indices of optional outputs the graph does not use: left unnamed in the node, so ort
   * neither allocates nor computes them. The returned Values at these indices are placeholders.
   */
  omit?: number[]
}

/**
 * Records an ONNX graph as plain data: graph inputs and outputs, initializers and nodes in
 * topological order (a node only reads values defined before it). The typed helpers cover the
 * ops the architectures and the autodiff use; `op()` is the escape hatch for any other.
 */
export class GraphBuilder {
  readonly inputs: Value[] = []
  readonly outputs: Value[] = []
  readonly initializers: Initializer[] = []
  readonly nodes: GraphNode[] = []
  readonly values = new Map<string, Value>()
  private readonly counters = new Map<string, number>()
  private readonly constants = new Map<string, Value>()
  private readonly nodeNames = new Set<string>()
  /**
   * Prefix of the nodes added now ('/model/layers.3/self_attn/q_proj'), as onnxruntime-genai
   * names them: ort's profile names each kernel by its node, so a cost reads as a layer and a
   * projection.
   */
  private scopePath = ''

  constructor(readonly graphName = 'glassbox') {}

  /** Names the nodes added from now on under `path` ('' for none). */
  setScope(path: string): void {
    this.scopePath = path
  }

  /** Runs f with its nodes named under `path`, then returns to the scope before. */
  inScope<T>(path: string, f: () => T): T {
    const before = this.scopePath
    this.scopePath = path
    try {
      return f()
    } finally {
      this.scopePath = before
    }
  }

  get scope(): string {
    return this.scopePath
  }

  private nodeName(opType: string): string {
    if (!this.scopePath) return `${opType}_${this.nodes.length}`
    const base = `${this.scopePath}/${opType}`
    let name = base
    for (let n = 1; this.nodeNames.has(name); n++) name = `${base}_${n}`
    this.nodeNames.add(name)
    return name
  }

  /** A fresh unique value name starting with `hint`. */
  uniqueName(hint: string): string {
    let n = this.counters.get(hint) ?? 0
    let name = n === 0 && !this.values.has(hint) ? hint : `${hint}_${n}`
    while (this.values.has(name)) name = `${hint}_${++n}`
    this.counters.set(hint, n + 1)
    return name
  }

  private define(value: Value): Value {
    if (this.values.has(value.name)) throw new Error(`graph value ${value.name} defined twice`)
    this.values.set(value.name, value)
    return value
  }

  input(name: string, dtype: DType, shape: Dim[]): Value {
    const v = this.define({ name, dtype, shape })
    this.inputs.push(v)
    return v
  }

  /** Marks a value as a graph output, renaming it through an Identity when `name` differs. */
  output(value: Value, name = value.name, shape?: Dim[]): Value {
    let v = value
    if (name !== value.name) v = this.op('Identity', [value], {}, { name })[0]
    if (v.name !== name) throw new Error(`output name ${name} is taken`)
    const out: Value = { name, dtype: v.dtype, shape: shape ?? v.shape }
    this.values.set(name, out)
    this.outputs.push(out)
    return out
  }

  initializer(name: string, dtype: DType, dims: number[], data: Initializer['data']): Value {
    const size = dims.reduce((a, b) => a * b, 1)
    if (data.length !== size) {
      throw new Error(`initializer ${name}: ${data.length} elements for dims [${dims}]`)
    }
    const v = this.define({
      name: this.values.has(name) ? this.uniqueName(name) : name,
      dtype,
      shape: dims,
    })
    this.initializers.push({ name: v.name, dtype, dims, data })
    return v
  }

  /** The generic node: appends one node and returns its output values. */
  op(
    opType: string,
    inputs: (Value | null)[],
    attributes: Record<string, Attr> = {},
    opts: OpOptions = {},
  ): Value[] {
    const first = inputs.find((v): v is Value => v !== null)
    const dtype = opts.dtype ?? first?.dtype ?? 'float32'
    const count = opts.outputs ?? 1
    const hint = opts.name ?? opType.toLowerCase()
    const outs: Value[] = []
    for (let i = 0; i < count; i++) {
      const type = opts.dtypes?.[i] ?? dtype
      if (opts.omit?.includes(i)) {
        outs.push({ name: '', dtype: type })
        continue
      }
      const name =
        opts.name && count === 1 && !this.values.has(opts.name) ? opts.name : this.uniqueName(hint)
      outs.push(this.define({ name, dtype: type }))
    }
    this.nodes.push({
      name: this.nodeName(opType),
      opType,
      domain: opts.domain ?? '',
      inputs: inputs.map((v) => (v ? v.name : '')),
      outputs: outs.map((v) => v.name),
      attributes,
    })
    return outs
  }

  private op1(
    opType: string,
    inputs: (Value | null)[],
    attributes: Record<string, Attr> = {},
    opts: OpOptions = {},
  ): Value {
    return this.op(opType, inputs, attributes, opts)[0]
  }

  // Constants are deduplicated initializers.
  private constant(dtype: DType, dims: number[], values: number[]): Value {
    const key = `${dtype}:${dims}:${values}`
    const hit = this.constants.get(key)
    if (hit) return hit
    const data =
      dtype === 'int64'
        ? BigInt64Array.from(values.map((x) => BigInt(x)))
        : dtype === 'int32'
          ? Int32Array.from(values)
          : Float32Array.from(values)
    const v = this.initializer(this.uniqueName('const'), dtype, dims, data)
    this.constants.set(key, v)
    return v
  }
  /** An int64 1-D tensor (shapes, axes, starts/ends). */
  ints(values: number[]): Value {
    return this.constant('int64', [values.length], values)
  }
  /** An int64 scalar. */
  int(value: number): Value {
    return this.constant('int64', [], [value])
  }
  /** A float32 scalar. */
  scalar(value: number): Value {
    return this.constant('float32', [], [value])
  }

  // Elementwise arithmetic (numpy broadcasting).
  add(a: Value, b: Value): Value {
    return this.op1('Add', [a, b])
  }
  sub(a: Value, b: Value): Value {
    return this.op1('Sub', [a, b])
  }
  mul(a: Value, b: Value): Value {
    return this.op1('Mul', [a, b])
  }
  div(a: Value, b: Value): Value {
    return this.op1('Div', [a, b])
  }
  pow(a: Value, b: Value): Value {
    return this.op1('Pow', [a, b])
  }
  neg(x: Value): Value {
    return this.op1('Neg', [x])
  }
  sqrt(x: Value): Value {
    return this.op1('Sqrt', [x])
  }
  reciprocal(x: Value): Value {
    return this.op1('Reciprocal', [x])
  }
  exp(x: Value): Value {
    return this.op1('Exp', [x])
  }
  log(x: Value): Value {
    return this.op1('Log', [x])
  }
  tanh(x: Value): Value {
    return this.op1('Tanh', [x])
  }
  sigmoid(x: Value): Value {
    return this.op1('Sigmoid', [x])
  }
  erf(x: Value): Value {
    return this.op1('Erf', [x])
  }
  relu(x: Value): Value {
    return this.op1('Relu', [x])
  }
  identity(x: Value, name?: string): Value {
    return this.op1('Identity', [x], {}, { name })
  }

  /** SiLU(x) = x·σ(x) (the Llama MLP gate). */
  silu(x: Value): Value {
    return this.mul(x, this.sigmoid(x))
  }
  /** GELU, tanh approximation ("gelu_new" in GPT-2): 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). */
  geluTanh(x: Value): Value {
    const x3 = this.mul(this.mul(x, x), x)
    const inner = this.mul(
      this.scalar(Math.sqrt(2 / Math.PI)),
      this.add(x, this.mul(this.scalar(0.044715), x3)),
    )
    return this.mul(this.mul(this.scalar(0.5), x), this.add(this.scalar(1), this.tanh(inner)))
  }
  /** GELU, exact erf form: 0.5·x·(1 + erf(x/√2)). */
  gelu(x: Value): Value {
    const e = this.erf(this.mul(x, this.scalar(Math.SQRT1_2)))
    return this.mul(this.mul(this.scalar(0.5), x), this.add(this.scalar(1), e))
  }

  matMul(a: Value, b: Value): Value {
    return this.op1('MatMul', [a, b])
  }
  softmax(x: Value, axis = -1): Value {
    return this.op1('Softmax', [x], { axis: attr.int(axis) })
  }
  logSoftmax(x: Value, axis = -1): Value {
    return this.op1('LogSoftmax', [x], { axis: attr.int(axis) })
  }

  // Reductions (opset 17: ReduceSum takes axes as an input, the others as an attribute).
  reduceMean(x: Value, axes: number[], keepdims = true): Value {
    return this.op1('ReduceMean', [x], {
      axes: attr.ints(axes),
      keepdims: attr.int(keepdims ? 1 : 0),
    })
  }
  reduceMax(x: Value, axes: number[], keepdims = true): Value {
    return this.op1('ReduceMax', [x], {
      axes: attr.ints(axes),
      keepdims: attr.int(keepdims ? 1 : 0),
    })
  }
  reduceSum(x: Value, axes: number[], keepdims = true): Value {
    return this.op1('ReduceSum', [x, this.ints(axes)], { keepdims: attr.int(keepdims ? 1 : 0) })
  }

  // Shape and indexing.
  gather(data: Value, indices: Value, axis = 0): Value {
    return this.op1('Gather', [data, indices], { axis: attr.int(axis) })
  }
  /** Reshape to `shape` (a constant list: 0 copies the input dim, -1 is inferred) or a value. */
  reshape(x: Value, shape: number[] | Value): Value {
    return this.op1('Reshape', [x, Array.isArray(shape) ? this.ints(shape) : shape])
  }
  transpose(x: Value, perm: number[]): Value {
    return this.op1('Transpose', [x], { perm: attr.ints(perm) })
  }
  concat(xs: Value[], axis: number): Value {
    return this.op1('Concat', xs, { axis: attr.int(axis) })
  }
  /** Split into parts of the given sizes along `axis` (opset 13+: sizes as an input). */
  split(x: Value, sizes: number[], axis: number): Value[] {
    return this.op(
      'Split',
      [x, this.ints(sizes)],
      { axis: attr.int(axis) },
      { outputs: sizes.length },
    )
  }
  /** Slice with constant starts/ends/axes (use op('Slice', ...) for dynamic bounds). */
  slice(x: Value, starts: number[], ends: number[], axes: number[], steps?: number[]): Value {
    const ins = [x, this.ints(starts), this.ints(ends), this.ints(axes)]
    if (steps) ins.push(this.ints(steps))
    return this.op1('Slice', ins)
  }
  unsqueeze(x: Value, axes: number[]): Value {
    return this.op1('Unsqueeze', [x, this.ints(axes)])
  }
  squeeze(x: Value, axes: number[]): Value {
    return this.op1('Squeeze', [x, this.ints(axes)])
  }
  expand(x: Value, shape: Value): Value {
    return this.op1('Expand', [x, shape])
  }
  shape(x: Value, start?: number, end?: number): Value {
    const a: Record<string, Attr> = {}
    if (start !== undefined) a.start = attr.int(start)
    if (end !== undefined) a.end = attr.int(end)
    return this.op1('Shape', [x], a, { dtype: 'int64' })
  }
  cast(x: Value, to: DType): Value {
    return this.op1('Cast', [x], { to: attr.int(ONNX_DTYPE[to]) }, { dtype: to })
  }
  range(start: Value, limit: Value, delta: Value): Value {
    return this.op1('Range', [start, limit, delta])
  }
  where(cond: Value, a: Value, b: Value): Value {
    return this.op1('Where', [cond, a, b], {}, { dtype: a.dtype })
  }
  less(a: Value, b: Value): Value {
    return this.op1('Less', [a, b], {}, { dtype: 'bool' })
  }
  greater(a: Value, b: Value): Value {
    return this.op1('Greater', [a, b], {}, { dtype: 'bool' })
  }
  equal(a: Value, b: Value): Value {
    return this.op1('Equal', [a, b], {}, { dtype: 'bool' })
  }

  /** LayerNormalization (opset 17) over the last axis. */
  layerNorm(x: Value, scale: Value, bias: Value | null, epsilon: number): Value {
    return this.op1('LayerNormalization', [x, scale, bias], {
      axis: attr.int(-1),
      epsilon: attr.float(epsilon),
    })
  }
  /** RMSNorm as in Llama (Zhang & Sennrich 2019): x / √(mean(x²) + ε) · w. */
  rmsNorm(x: Value, weight: Value, epsilon: number): Value {
    const ms = this.reduceMean(this.mul(x, x), [-1])
    return this.mul(
      this.mul(x, this.reciprocal(this.sqrt(this.add(ms, this.scalar(epsilon))))),
      weight,
    )
  }

  /**
   * com.microsoft MatMulNBits: x[..., K] · Wᵀ with W [N, K] quantized per block of `blockSize`
   * along K (see quant/). `accuracyLevel` 4 also quantizes activations to int8 (faster, less exact).
   * `bias` [N] is added in the kernel (input 5; input 4, g_idx, is deprecated and left empty).
   */
  matMulNBits(
    x: Value,
    packed: Value,
    scales: Value,
    zeroPoints: Value | null,
    k: number,
    n: number,
    bits: number,
    blockSize: number,
    accuracyLevel = 0,
    bias: Value | null = null,
  ): Value {
    return this.op1(
      'MatMulNBits',
      bias ? [x, packed, scales, zeroPoints, null, bias] : [x, packed, scales, zeroPoints],
      {
        K: attr.int(k),
        N: attr.int(n),
        bits: attr.int(bits),
        block_size: attr.int(blockSize),
        accuracy_level: attr.int(accuracyLevel),
      },
      { domain: MS_DOMAIN, dtype: x.dtype },
    )
  }
}

/** ONNX TensorProto.DataType codes. */
export const ONNX_DTYPE: Record<DType, number> = {
  float32: 1,
  uint8: 2,
  int8: 3,
  int32: 6,
  int64: 7,
  bool: 9,
  float16: 10,
  bfloat16: 16,
}
