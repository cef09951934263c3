import { readAttr } from './graphEditor'
import type { GradContext, GradRule } from './rules'

// Gradients of operators that move values around without arithmetic: each gradient moves
// the incoming gradient back to where the value came from (ONNX operator spec, opset 13+).

const inp = (c: GradContext, i: number): string => c.node.input![i]
const dy = (c: GradContext): string => c.dY[0]!
const norm = (axis: number, rank: number): number => (axis < 0 ? axis + rank : axis)

/** Any op whose output is its input with a new shape. */
const reshapeBack: GradRule = (c) => [c.g.op('Reshape', [dy(c), c.g.ints(c.shape(inp(c, 0)))])]

function sliceGrad(c: GradContext): (string | null)[] {
  const x = inp(c, 0)
  const shape = c.shape(x)
  const rank = shape.length
  const constOf = (i: number): number[] | undefined =>
    c.node.input![i] ? c.constant(c.node.input![i]) : undefined
  const starts = constOf(1)
  const ends = constOf(2)
  if (!starts || !ends) throw new Error('Slice: starts and ends must be constants to differentiate')
  const axes = (constOf(3) ?? starts.map((_, i) => i)).map((a) => norm(a, rank))
  const steps = constOf(4) ?? starts.map(() => 1)
  if (steps.some((s) => s !== 1)) throw new Error('Slice: only step 1 is differentiable here')
  const outShape = c.shape(c.node.output![0])
  const pads = new Array(2 * rank).fill(0)
  axes.forEach((axis, i) => {
    let s = starts[i]
    if (s < 0) s += shape[axis]
    s = Math.max(0, Math.min(shape[axis], s))
    pads[axis] = s
    pads[rank + axis] = shape[axis] - s - outShape[axis]
  })
  return [c.g.op('Pad', [dy(c), c.g.ints(pads)])]
}

/** Sum reduction back-propagates by broadcasting the gradient over the reduced axes. */
function reduceGrad(mean: boolean): GradRule {
  return (c) => {
    const x = inp(c, 0)
    const shape = c.shape(x)
    const rank = shape.length
    const axesInput = c.node.input![1]
    const fromInput = axesInput ? c.constant(axesInput) : undefined
    if (axesInput && !fromInput) throw new Error(`${c.node.opType}: axes must be a constant`)
    let axes = (fromInput ?? (readAttr(c.node, 'axes') as number[] | undefined) ?? []).map((a) =>
      norm(a, rank),
    )
    if (axes.length === 0) axes = [...shape.keys()]
    const kept = shape.map((d, i) => (axes.includes(i) ? 1 : d))
    let grad = c.g.op('Expand', [c.g.op('Reshape', [dy(c), c.g.ints(kept)]), c.g.ints(shape)])
    if (mean) {
      const count = axes.reduce((n, a) => n * shape[a], 1)
      grad = c.g.op('Div', [grad, c.g.scalar(count)])
    }
    return [grad]
  }
}

export const shapeRules: Record<string, GradRule> = {
  Reshape: reshapeBack,
  Flatten: reshapeBack,
  Squeeze: reshapeBack,
  Unsqueeze: reshapeBack,
  Expand: (c) => [c.unbroadcast(dy(c), inp(c, 0))],
  Transpose: (c) => {
    const rank = c.shape(inp(c, 0)).length
    const perm =
      (readAttr(c.node, 'perm') as number[] | undefined) ?? [...Array(rank).keys()].reverse()
    const inverse = new Array(rank)
    perm.forEach((p, i) => (inverse[p] = i))
    return [c.g.op('Transpose', [dy(c)], { perm: inverse })]
  },
  Concat: (c) => {
    const inputs = c.node.input!
    const rank = c.shape(inputs[0]).length
    const axis = norm(readAttr(c.node, 'axis') as number, rank)
    const sizes = inputs.map((name) => c.shape(name)[axis])
    const parts = c.g.opN('Split', [dy(c), c.g.ints(sizes)], { axis }, inputs.length)
    return parts.map((p, i) => (c.needs[i] ? p : null))
  },
  Split: (c) => {
    const outs = c.node.output!
    const axis = norm(
      (readAttr(c.node, 'axis') as number | undefined) ?? 0,
      c.shape(inp(c, 0)).length,
    )
    const parts = outs.map((name, i) => c.dY[i] ?? c.g.zeros(c.shape(name)))
    return [c.g.op('Concat', parts, { axis })]
  },
  Slice: sliceGrad,
  // Embedding lookup: scatter-add the rows' gradients back (repeated ids add up).
  Gather: (c) => {
    const data = inp(c, 0)
    const axis = norm((readAttr(c.node, 'axis') as number | undefined) ?? 0, c.shape(data).length)
    if (axis !== 0) throw new Error('Gather: only axis 0 is differentiable here')
    const idx = c.g.op('Unsqueeze', [inp(c, 1), c.g.ints([-1])])
    const zeros = c.g.zeros(c.shape(data))
    return [c.g.op('ScatterND', [zeros, idx, dy(c)], { reduction: 'add' }), null]
  },
  Trilu: (c) => {
    const upper = (readAttr(c.node, 'upper') as number | undefined) ?? 1
    const k = c.node.input![1]
    return [c.g.op('Trilu', k ? [dy(c), k] : [dy(c)], { upper }), null]
  },
  ReduceSum: reduceGrad(false),
  ReduceMean: reduceGrad(true),
}
