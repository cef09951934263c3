import { readAttr } from './graphEditor'
import type { GradContext, GradRule } from './rules'

// Gradients of the normalising operators: softmax, log-softmax and the layer norms.

const inp = (c: GradContext, i: number): string => c.node.input![i]
const dy = (c: GradContext): string => c.dY[0]!

function axisOf(c: GradContext, fallback: number): number {
  const axis = (readAttr(c.node, 'axis') as number | undefined) ?? fallback
  return axis < 0 ? axis + c.shape(inp(c, 0)).length : axis
}

/**
 * LayerNormalization (opset 17) and com.microsoft SimplifiedLayerNormalization (RMSNorm,
 * Zhang & Sennrich 2019) over the trailing axes from `axis`. With x̂ = (x - μ)·r:
 * dx = r·(g - mean(g) - x̂·mean(g·x̂)), g = dy·scale; RMSNorm drops the μ and mean(g) terms.
 */
function layerNormGrad(rms: boolean): GradRule {
  return (c) => {
    const g = c.g
    const [x, scale, bias] = [inp(c, 0), inp(c, 1), c.node.input![2]]
    const shape = c.shape(x)
    const axis = axisOf(c, -1)
    const axes = [...shape.keys()].filter((i) => i >= axis)
    const eps = (readAttr(c.node, 'epsilon') as number | undefined) ?? 1e-5
    // ReduceSum·(1/n) rather than ReduceMean: ReduceMean takes axes as an input only from
    // opset 18, ReduceSum from 13, and the forward graph may use either opset.
    const n = axes.reduce((k, a) => k * shape[a], 1)
    const meanOf = (v: string): string =>
      g.op('Mul', [g.op('ReduceSum', [v, g.ints(axes)], { keepdims: 1 }), g.scalar(1 / n)])
    const centred = rms ? x : g.op('Sub', [x, meanOf(x)])
    const r = g.op('Reciprocal', [
      g.op('Sqrt', [g.op('Add', [meanOf(g.op('Mul', [centred, centred])), g.scalar(eps)])]),
    ])
    const xhat = g.op('Mul', [centred, r])
    const gx = g.op('Mul', [dy(c), scale])
    let inner = g.op('Sub', [gx, g.op('Mul', [xhat, meanOf(g.op('Mul', [gx, xhat]))])])
    if (!rms) inner = g.op('Sub', [inner, meanOf(gx)])
    const dX = c.needs[0] ? g.op('Mul', [inner, r]) : null
    const dScale = c.needs[1] ? c.unbroadcast(g.op('Mul', [dy(c), xhat]), scale) : null
    const dBias = bias && c.needs[2] ? c.unbroadcast(dy(c), bias) : null
    return [dX, dScale, dBias]
  }
}

export const normRules: Record<string, GradRule> = {
  // y = softmax(x): dx = y·(dy - Σ dy·y).
  Softmax: (c) => {
    const g = c.g
    const y = c.node.output![0]
    const sum = g.op('ReduceSum', [g.op('Mul', [dy(c), y]), g.ints([axisOf(c, -1)])], {
      keepdims: 1,
    })
    return [g.op('Mul', [y, g.op('Sub', [dy(c), sum])])]
  },
  // y = log softmax(x): dx = dy - exp(y)·Σ dy.
  LogSoftmax: (c) => {
    const g = c.g
    const y = c.node.output![0]
    const sum = g.op('ReduceSum', [dy(c), g.ints([axisOf(c, -1)])], { keepdims: 1 })
    return [g.op('Sub', [dy(c), g.op('Mul', [g.op('Exp', [y]), sum])])]
  },
  LayerNormalization: layerNormGrad(false),
  SimplifiedLayerNormalization: layerNormGrad(true),
}
