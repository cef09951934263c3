import type { onnx } from 'onnx-proto'
import { GraphEditor, tensorValues, type FloatType } from './graphEditor'
import { gradRules, NON_DIFFERENTIABLE, type GradContext } from './rules'

// Reverse-mode automatic differentiation over an ONNX graph: walk the forward nodes in
// reverse topological order and append each node's gradient rule, summing the gradients
// of values used more than once (Griewank & Walther, "Evaluating Derivatives", ch. 3).

export interface BackwardOptions {
  /** Scalar value to differentiate. */
  loss: string
  /** Values (usually trainable parameters) whose gradients are wanted. */
  wrt: string[]
  /** Static shape of every value on the path; see probeShapes in training/. */
  shapes: Map<string, number[]>
  floatType?: FloatType
  /** Gradient of the loss seeded with this value instead of 1 (e.g. for loss scaling). */
  seed?: string
}

/** Appends the backward pass to `graph`; returns the gradient name for each `wrt` value. */
export function appendBackward(
  graph: onnx.IGraphProto,
  options: BackwardOptions,
): Map<string, string> {
  const g = new GraphEditor(graph, options.floatType ?? 1)
  const nodes = [...(graph.node ?? [])]
  const constants = constantValues(graph)

  // Forward pass: which values depend on a wrt value.
  const requires = new Set(options.wrt)
  for (const node of nodes) {
    if (NON_DIFFERENTIABLE.has(node.opType ?? '')) continue
    if (node.input!.some((name) => requires.has(name))) {
      for (const o of node.output!) requires.add(o)
    }
  }
  if (!requires.has(options.loss)) {
    throw new Error(`appendBackward: the loss "${options.loss}" does not depend on any wrt value`)
  }

  const shape = (name: string): number[] => {
    const s = options.shapes.get(name)
    if (!s) throw new Error(`appendBackward: no shape known for "${name}"`)
    return s
  }
  const grads = new Map<string, string>()
  const accumulate = (value: string, grad: string): void => {
    const prev = grads.get(value)
    const sum = prev ? g.op('Add', [prev, grad]) : grad
    grads.set(value, sum)
  }
  accumulate(options.loss, options.seed ?? g.scalar(1))

  for (let n = nodes.length - 1; n >= 0; n--) {
    const node = nodes[n]
    const dY = node.output!.map((o) => grads.get(o) ?? null)
    if (dY.every((d) => d === null)) continue
    const needs = node.input!.map((name) => !!name && requires.has(name))
    if (!needs.some(Boolean)) continue
    const rule = gradRules[node.opType ?? '']
    if (!rule) throw new Error(`appendBackward: no gradient rule for ${node.opType} (${node.name})`)
    const ctx: GradContext = {
      node,
      g,
      shape,
      dY,
      needs,
      constant: (name) => constants.get(name),
      unbroadcast: (grad, target, from = shape(node.output![0])) =>
        reduceTo(g, grad, from, shape(target)),
    }
    const dX = rule(ctx)
    node.input!.forEach((name, i) => {
      if (needs[i] && dX[i]) accumulate(name, dX[i]!)
    })
  }

  const result = new Map<string, string>()
  for (const w of options.wrt) {
    const grad = grads.get(w) ?? g.zeros(shape(w))
    // A stable name for each gradient, so callers can fetch it as a graph output.
    const named = `grad/${w}`
    graph.node!.push({ opType: 'Identity', input: [grad], output: [named], name: named })
    result.set(w, named)
  }
  return result
}

/** Sums `grad` (shape `from`) down to shape `to` under NumPy broadcasting. */
function reduceTo(g: GraphEditor, grad: string, from: number[], to: number[]): string {
  const lead = from.length - to.length
  const axes: number[] = []
  for (let i = 0; i < from.length; i++) {
    if (i < lead || (to[i - lead] === 1 && from[i] !== 1)) axes.push(i)
  }
  if (axes.length === 0) return grad
  const summed = g.op('ReduceSum', [grad, g.ints(axes)], { keepdims: 1 })
  return g.op('Reshape', [summed, g.ints(to)])
}

function constantValues(graph: onnx.IGraphProto): Map<string, number[]> {
  const values = new Map<string, number[]>()
  for (const t of graph.initializer ?? []) {
    const size = (t.dims ?? []).reduce((n: number, d) => n * Number(d), 1)
    if (size <= 64 && t.name) values.set(t.name, tensorValues(t))
  }
  // Constant nodes, and the little arithmetic builders apply to constants (Slice starts of
  // -n are written Neg(n)), folded so rules can read them.
  const fold: Record<string, (x: number[]) => number[]> = {
    Neg: (x) => x.map((v) => -v),
    Identity: (x) => x,
    Cast: (x) => x,
    Unsqueeze: (x) => x,
    Squeeze: (x) => x,
  }
  for (const node of graph.node ?? []) {
    if (node.opType === 'Constant') {
      const t = node.attribute?.find((a) => a.name === 'value')?.t
      if (t) values.set(node.output![0], tensorValues(t))
      continue
    }
    const f = fold[node.opType ?? '']
    const x = node.input?.[0] ? values.get(node.input[0]) : undefined
    if (f && x) values.set(node.output![0], f(x))
  }
  return values
}
