import type { onnx } from 'onnx-proto'
import { readAttr, type GraphEditor } from './graphEditor'
import { normRules } from './normRules'
import { shapeRules } from './shapeRules'

// Reverse-mode gradient rules, one per ONNX operator (semantics from the ONNX operator
// spec, opset 17-18). Shapes are static: the training graph is built for one batch shape.

export interface GradContext {
  node: onnx.INodeProto
  g: GraphEditor
  /** Static shape of any value in the forward graph. */
  shape(name: string): number[]
  /** Gradient of each output (null when that output does not reach the loss). */
  dY: (string | null)[]
  /** Whether each input needs a gradient. */
  needs: boolean[]
  /** Values of a constant input (initializer or Constant node), if it is one. */
  constant(name: string): number[] | undefined
  /**
   * Sums a gradient (of shape `from`, by default the node's output shape) over the axes
   * along which `target` was broadcast (NumPy rules).
   */
  unbroadcast(grad: string, target: string, from?: number[]): string
}

export type GradRule = (c: GradContext) => (string | null)[]

const inp = (c: GradContext, i: number): string => c.node.input![i]
const out = (c: GradContext, i = 0): string => c.node.output![i]
const dy = (c: GradContext): string => c.dY[0]!

/** Swaps the last two axes (MatMul's transpose), for any rank >= 2. */
function swapLast(c: GradContext, name: string): string {
  const r = c.shape(name).length
  const perm = [...Array(r).keys()]
  ;[perm[r - 2], perm[r - 1]] = [perm[r - 1], perm[r - 2]]
  return c.g.op('Transpose', [name], { perm })
}

const elementwise: Record<string, GradRule> = {
  Add: (c) => [c.unbroadcast(dy(c), inp(c, 0)), c.unbroadcast(dy(c), inp(c, 1))],
  Sub: (c) => [
    c.needs[0] ? c.unbroadcast(dy(c), inp(c, 0)) : null,
    c.needs[1] ? c.unbroadcast(c.g.op('Neg', [dy(c)]), inp(c, 1)) : null,
  ],
  Mul: (c) => [
    c.needs[0] ? c.unbroadcast(c.g.op('Mul', [dy(c), inp(c, 1)]), inp(c, 0)) : null,
    c.needs[1] ? c.unbroadcast(c.g.op('Mul', [dy(c), inp(c, 0)]), inp(c, 1)) : null,
  ],
  // y = a / b: dy/da = 1/b, dy/db = -a/b² = -y/b.
  Div: (c) => [
    c.needs[0] ? c.unbroadcast(c.g.op('Div', [dy(c), inp(c, 1)]), inp(c, 0)) : null,
    c.needs[1]
      ? c.unbroadcast(
          c.g.op('Neg', [c.g.op('Mul', [dy(c), c.g.op('Div', [out(c), inp(c, 1)])])]),
          inp(c, 1),
        )
      : null,
  ],
  Neg: (c) => [c.g.op('Neg', [dy(c)])],
  Identity: (c) => [dy(c)],
  // Pow with a constant exponent p (RMSNorm's x², LayerNorm's variance): p·x^(p-1).
  Pow: (c) => {
    if (c.needs[1]) throw new Error('Pow: gradient with respect to the exponent is not supported')
    const p = c.constant(inp(c, 1))
    if (!p || p.length !== 1) throw new Error('Pow: the exponent must be a scalar constant')
    const deriv =
      p[0] === 2
        ? c.g.op('Mul', [inp(c, 0), c.g.scalar(2)])
        : c.g.op('Mul', [c.g.op('Pow', [inp(c, 0), c.g.scalar(p[0] - 1)]), c.g.scalar(p[0])])
    return [c.g.op('Mul', [dy(c), deriv])]
  },
  Sqrt: (c) => [c.g.op('Div', [c.g.op('Mul', [dy(c), c.g.scalar(0.5)]), out(c)])],
  Reciprocal: (c) => [c.g.op('Neg', [c.g.op('Mul', [dy(c), c.g.op('Mul', [out(c), out(c)])])])],
  Exp: (c) => [c.g.op('Mul', [dy(c), out(c)])],
  Log: (c) => [c.g.op('Div', [dy(c), inp(c, 0)])],
  // σ' = σ(1-σ); tanh' = 1-tanh².
  Sigmoid: (c) => [
    c.g.op('Mul', [dy(c), c.g.op('Mul', [out(c), c.g.op('Sub', [c.g.scalar(1), out(c)])])]),
  ],
  Tanh: (c) => [
    c.g.op('Mul', [dy(c), c.g.op('Sub', [c.g.scalar(1), c.g.op('Mul', [out(c), out(c)])])]),
  ],
  // erf'(x) = 2/√π · exp(-x²).
  Erf: (c) => {
    const x = inp(c, 0)
    const e = c.g.op('Exp', [c.g.op('Neg', [c.g.op('Mul', [x, x])])])
    return [c.g.op('Mul', [dy(c), c.g.op('Mul', [e, c.g.scalar(2 / Math.sqrt(Math.PI))])])]
  },
  Relu: (c) => {
    const mask = c.g.op('Cast', [c.g.op('Greater', [inp(c, 0), c.g.scalar(0)])], {
      to: c.g.floatType,
    })
    return [c.g.op('Mul', [dy(c), mask])]
  },
  Where: (c) => {
    const zero = c.g.scalar(0)
    return [
      null,
      c.needs[1] ? c.unbroadcast(c.g.op('Where', [inp(c, 0), dy(c), zero]), inp(c, 1)) : null,
      c.needs[2] ? c.unbroadcast(c.g.op('Where', [inp(c, 0), zero, dy(c)]), inp(c, 2)) : null,
    ]
  },
  // com.microsoft FastGelu, y = u·σ(2z) with u = x (+ bias), 2z = u·(2k₀ + 2k₀k₁·u²), the
  // tanh form 0.5·u·(1 + tanh z) rewritten: dy/du = s·(1 + u·(1 - s)·dw/du), s = σ(2z),
  // dw/du = 2k₀ + 6k₀k₁·u². Recomputed from u: 13 passes, none stored by the forward.
  FastGelu: (c) => {
    const g = c.g
    const k0 = Math.sqrt(2 / Math.PI)
    const k1 = 0.044715
    const bias = c.node.input![1]
    const u = bias ? g.op('Add', [inp(c, 0), bias]) : inp(c, 0)
    const u2 = g.op('Mul', [u, u])
    const w = g.op('Mul', [
      u,
      g.op('Add', [g.op('Mul', [u2, g.scalar(2 * k0 * k1)]), g.scalar(2 * k0)]),
    ])
    const s = g.op('Sigmoid', [w])
    const dw = g.op('Add', [g.op('Mul', [u2, g.scalar(6 * k0 * k1)]), g.scalar(2 * k0)])
    const q = g.op('Mul', [g.op('Mul', [u, g.op('Sub', [g.scalar(1), s])]), dw])
    const dU = g.op('Mul', [dy(c), g.op('Mul', [s, g.op('Add', [q, g.scalar(1)])])])
    return [
      c.needs[0] ? c.unbroadcast(dU, inp(c, 0)) : null,
      bias && c.needs[1] ? c.unbroadcast(dU, bias) : null,
    ]
  },
  // Only float-to-float casts lie on a differentiable path; the gradient goes back in the
  // graph's float type.
  Cast: (c) => [c.g.op('Cast', [dy(c)], { to: c.g.floatType })],
}

/**
 * dW of a 2-D weight under a batched input, [..., k] · [k, n]: the rows of every batch are
 * one [rows, k] matrix, so dW = Xᵀ·dY is one Gemm over all rows, not a product per batch
 * entry summed afterwards (which also wrote a [batch, k, n] intermediate).
 */
function weightGrad(c: GradContext, a: string, b: string): string {
  const [k, n] = c.shape(b)
  const rows = (name: string, cols: number): string =>
    c.g.op('Reshape', [name, c.g.ints([-1, cols])])
  return c.g.op('Gemm', [rows(a, k), rows(dy(c), n)], { transA: 1 })
}

const linear: Record<string, GradRule> = {
  // Y = A·B (batched, NumPy broadcasting): dA = dY·Bᵀ, dB = Aᵀ·dY, summed over broadcast.
  MatMul: (c) => {
    const [a, b] = [inp(c, 0), inp(c, 1)]
    if (c.shape(a).length < 2 || c.shape(b).length < 2) throw new Error('MatMul: 1-D operands')
    const batch = c.shape(c.node.output![0]).slice(0, -2)
    const fromA = [...batch, ...c.shape(a).slice(-2)]
    const fromB = [...batch, ...c.shape(b).slice(-2)]
    return [
      c.needs[0] ? c.unbroadcast(c.g.op('MatMul', [dy(c), swapLast(c, b)]), a, fromA) : null,
      !c.needs[1]
        ? null
        : c.shape(b).length === 2 && batch.length > 0
          ? weightGrad(c, a, b)
          : c.unbroadcast(c.g.op('MatMul', [swapLast(c, a), dy(c)]), b, fromB),
    ]
  },
  // Y = α·op(A)·op(B) + β·C (2-D only, per the Gemm spec).
  Gemm: (c) => {
    const alpha = (readAttr(c.node, 'alpha') as number | undefined) ?? 1
    const beta = (readAttr(c.node, 'beta') as number | undefined) ?? 1
    const tA = readAttr(c.node, 'transA') === 1
    const tB = readAttr(c.node, 'transB') === 1
    const [a, b] = [inp(c, 0), inp(c, 1)]
    const g = c.g
    const scaled = alpha === 1 ? dy(c) : g.op('Mul', [dy(c), g.scalar(alpha)])
    // dop(A) = dY·op(B)ᵀ; dA = dop(A) or its transpose.
    const dA = !c.needs[0]
      ? null
      : tA
        ? g.op('Gemm', [b, scaled], { transA: tB ? 1 : 0, transB: 1 })
        : g.op('Gemm', [scaled, b], { transA: 0, transB: tB ? 0 : 1 })
    const dB = !c.needs[1]
      ? null
      : tB
        ? g.op('Gemm', [scaled, a], { transA: 1, transB: tA ? 1 : 0 })
        : g.op('Gemm', [a, scaled], { transA: tA ? 0 : 1, transB: 0 })
    const cIn = c.node.input![2]
    const dC =
      cIn && c.needs[2]
        ? c.unbroadcast(beta === 1 ? dy(c) : g.op('Mul', [dy(c), g.scalar(beta)]), cIn)
        : null
    return [dA, dB, dC]
  },
}

/** Operators whose outputs carry no gradient (shapes, indices, comparisons). */
export const NON_DIFFERENTIABLE = new Set([
  'Shape',
  'Size',
  'Range',
  'ConstantOfShape',
  'Constant',
  'Equal',
  'Less',
  'LessOrEqual',
  'Greater',
  'GreaterOrEqual',
  'Not',
  'And',
  'Or',
  'NonZero',
  'ArgMax',
  'ArgMin',
  'OneHot',
  'RandomUniformLike',
  'Bernoulli',
])

export const gradRules: Record<string, GradRule> = {
  ...elementwise,
  ...linear,
  ...shapeRules,
  ...normRules,
}
