import type { onnx } from 'onnx-proto'
import { describe, expect, it } from 'vitest'
import { attribute, type AttrValue } from './graphEditor'
import { gradCheck, type CheckCase, type CheckInput } from './gradCheck'
import { gradRules } from './rules'

// Every gradient rule against central finite differences, in float64 where onnxruntime's
// CPU kernels have a double version, else float32 with a looser tolerance.

function node(
  opType: string,
  input: string[],
  output: string[],
  attrs: Record<string, AttrValue> = {},
  domain = '',
): onnx.INodeProto {
  return {
    opType,
    input,
    output,
    domain,
    attribute: Object.entries(attrs).map(([k, v]) =>
      attribute(k, v, new Set(['epsilon', 'alpha', 'beta'])),
    ),
  }
}
const x = (dims: number[], range?: [number, number]): CheckInput => ({ name: 'x', dims, range })
const b = (dims: number[], range?: [number, number]): CheckInput => ({ name: 'b', dims, range })
const ints = (name: string, data: number[]): CheckInput => ({
  name,
  dims: [data.length],
  data,
  int: true,
})
const unary = (op: string, range?: [number, number], attrs = {}): CheckCase => ({
  inputs: [x([2, 3, 4], range)],
  nodes: [node(op, ['x'], ['y'], attrs)],
  output: 'y',
})
const binary = (op: string, xd: number[], bd: number[], range?: [number, number]): CheckCase => ({
  inputs: [x(xd), b(bd, range)],
  nodes: [node(op, ['x', 'b'], ['y'])],
  output: 'y',
})
const axesConst = (axes: number[]): onnx.INodeProto =>
  node('Constant', [], ['a'], { value: { dataType: 7, dims: [axes.length], int64Data: axes } })
const f32 = (c: CheckCase): CheckCase => ({ ...c, floatType: 1 })

const cases: Record<string, CheckCase> = {
  'Add (broadcast)': binary('Add', [2, 3, 4], [4]),
  'Sub (broadcast)': binary('Sub', [2, 3, 4], [3, 1]),
  'Mul (broadcast)': binary('Mul', [2, 3, 4], [1, 3, 4]),
  'Div (broadcast)': binary('Div', [2, 3], [2, 1], [0.5, 2]),
  Neg: unary('Neg'),
  Identity: unary('Identity'),
  Sqrt: unary('Sqrt', [0.5, 2]),
  Reciprocal: unary('Reciprocal', [0.5, 2]),
  Exp: unary('Exp'),
  Log: unary('Log', [0.5, 2]),
  Sigmoid: unary('Sigmoid'),
  Tanh: unary('Tanh'),
  Erf: f32(unary('Erf')),
  // The range spans both tails and the bend.
  FastGelu: {
    inputs: [x([2, 3, 4], [-4, 4])],
    nodes: [node('FastGelu', ['x'], ['y'], {}, 'com.microsoft')],
    output: 'y',
    extraOpsets: [{ domain: 'com.microsoft', version: 1 }],
  },
  'FastGelu (bias)': {
    inputs: [x([2, 3, 4], [-3, 3]), b([4])],
    nodes: [node('FastGelu', ['x', 'b'], ['y'], {}, 'com.microsoft')],
    output: 'y',
    extraOpsets: [{ domain: 'com.microsoft', version: 1 }],
  },
  Relu: unary('Relu'),
  Cast: unary('Cast', undefined, { to: 11 }),
  'Pow (x², x^0.5)': {
    inputs: [x([3, 4], [0.5, 2])],
    nodes: [
      node('Constant', [], ['two'], { value: { dataType: 11, dims: [], doubleData: [2] } }),
      node('Pow', ['x', 'two'], ['sq']),
      node('Constant', [], ['half'], { value: { dataType: 11, dims: [], doubleData: [0.5] } }),
      node('Pow', ['x', 'half'], ['root']),
      node('Add', ['sq', 'root'], ['y']),
    ],
    output: 'y',
  },
  'Where (broadcast)': {
    inputs: [{ name: 'c', dims: [2, 3], data: [1, 0, 1, 0, 0, 1], int: true }, x([2, 3]), b([3])],
    nodes: [node('Cast', ['c'], ['cond'], { to: 9 }), node('Where', ['cond', 'x', 'b'], ['y'])],
    output: 'y',
  },
  'MatMul (weight broadcast over batch)': binary('MatMul', [2, 3, 4], [4, 5]),
  'MatMul (batched)': binary('MatMul', [2, 3, 4], [2, 4, 5]),
  'Gemm (transB, bias)': {
    inputs: [x([3, 4]), b([5, 4]), { name: 'c', dims: [5] }],
    nodes: [node('Gemm', ['x', 'b', 'c'], ['y'], { transB: 1, alpha: 0.5, beta: 2 })],
    output: 'y',
  },
  'Gemm (transA)': {
    inputs: [x([4, 3]), b([4, 5])],
    nodes: [node('Gemm', ['x', 'b'], ['y'], { transA: 1 })],
    output: 'y',
  },
  Reshape: {
    inputs: [x([2, 3, 4]), ints('s', [6, 4])],
    nodes: [node('Reshape', ['x', 's'], ['y'])],
    output: 'y',
  },
  Flatten: unary('Flatten', undefined, { axis: 1 }),
  'Unsqueeze + Squeeze': {
    inputs: [x([2, 3]), ints('a', [1])],
    nodes: [
      node('Unsqueeze', ['x', 'a'], ['u']),
      node('Mul', ['u', 'u'], ['m']),
      node('Squeeze', ['m', 'a'], ['y']),
    ],
    output: 'y',
  },
  Expand: {
    inputs: [x([3, 1]), ints('s', [2, 3, 4])],
    nodes: [node('Expand', ['x', 's'], ['y'])],
    output: 'y',
  },
  Transpose: unary('Transpose', undefined, { perm: [2, 0, 1] }),
  Concat: {
    inputs: [x([2, 3]), b([2, 2])],
    nodes: [node('Concat', ['x', 'b'], ['y'], { axis: -1 })],
    output: 'y',
  },
  'Split (one output unused)': {
    inputs: [x([2, 6]), ints('s', [2, 3, 1])],
    nodes: [
      node('Split', ['x', 's'], ['p', 'q', 'r'], { axis: 1 }),
      node('Mul', ['p', 'p'], ['y']),
    ],
    output: 'y',
  },
  'Slice (negative start, rotate-half style)': {
    inputs: [x([2, 3, 8])],
    nodes: [
      node('Constant', [], ['st'], { value: { dataType: 7, dims: [1], int64Data: [-4] } }),
      node('Constant', [], ['en'], { value: { dataType: 7, dims: [1], int64Data: [1000] } }),
      node('Constant', [], ['ax'], { value: { dataType: 7, dims: [1], int64Data: [-1] } }),
      node('Slice', ['x', 'st', 'en', 'ax'], ['y']),
    ],
    output: 'y',
  },
  'Gather (embedding, repeated ids)': {
    inputs: [x([5, 3]), { name: 'ids', dims: [2, 3], data: [0, 2, 2, 4, 0, 0], int: true }],
    nodes: [node('Gather', ['x', 'ids'], ['y'], { axis: 0 })],
    output: 'y',
  },
  Trilu: unary('Trilu', undefined, { upper: 0 }),
  'ReduceSum (axes input)': {
    inputs: [x([2, 3, 4])],
    nodes: [axesConst([1]), node('ReduceSum', ['x', 'a'], ['y'], { keepdims: 0 })],
    output: 'y',
  },
  'ReduceMean (opset 18)': {
    inputs: [x([2, 3, 4])],
    nodes: [axesConst([-1]), node('ReduceMean', ['x', 'a'], ['y'], { keepdims: 1 })],
    output: 'y',
  },
  Softmax: unary('Softmax', undefined, { axis: -1 }),
  LogSoftmax: unary('LogSoftmax', undefined, { axis: -1 }),
  LayerNormalization: {
    inputs: [x([2, 3, 6]), { name: 's', dims: [6] }, b([6])],
    nodes: [node('LayerNormalization', ['x', 's', 'b'], ['y'], { axis: -1, epsilon: 1e-5 })],
    output: 'y',
  },
  'SimplifiedLayerNormalization (RMSNorm)': f32({
    inputs: [x([2, 3, 6]), { name: 's', dims: [6] }],
    nodes: [node('SimplifiedLayerNormalization', ['x', 's'], ['y'], { axis: -1, epsilon: 1e-5 })],
    output: 'y',
  }),
}

describe('gradient rules match finite differences', () => {
  for (const [name, check] of Object.entries(cases)) {
    it(name, async () => {
      const result = await gradCheck(check)
      const tolerance = check.floatType === 1 ? 2e-2 : 1e-6
      expect(result.checked).toBeGreaterThan(0)
      expect(result.maxRelError).toBeLessThan(tolerance)
    })
  }

  it('covers every rule', () => {
    const tested = new Set(Object.values(cases).flatMap((c) => c.nodes.map((n) => n.opType)))
    expect(Object.keys(gradRules).filter((op) => !tested.has(op))).toEqual([])
  })
})
