import { GraphEditor } from '../autodiff/graphEditor'

// The two pieces a training graph adds around the model: the next-token loss, and the
// optimizer update with global-norm clipping.

export interface AdamWOptions {
  beta1: number
  beta2: number
  eps: number
  weightDecay: number
  /** Gradients are rescaled when their global L2 norm exceeds this (Pascanu et al. 2013). */
  maxGradNorm: number
}

export const DEFAULT_ADAMW: AdamWOptions = {
  beta1: 0.9,
  beta2: 0.95,
  eps: 1e-8,
  weightDecay: 0.1,
  maxGradNorm: 1,
}

/**
 * Mean next-token cross-entropy over the positions where `mask` is 1: targets[b, t] is the
 * token that follows input t (the caller shifts), logits are [B, T, V].
 */
export function appendCrossEntropy(
  g: GraphEditor,
  logits: string,
  targets: string,
  mask: string,
  vocabSize: number,
): string {
  const logp = g.op('LogSoftmax', [logits], { axis: -1 })
  // OneHot is not differentiable and needs no gradient: it only selects the target column.
  const onehot32 = g.op(
    'OneHot',
    [targets, g.ints([vocabSize], true), g.op('Cast', [g.ints([0, 1])], { to: 1 })],
    {
      axis: -1,
    },
  )
  // ort has OneHot for float32 outputs only; float64 graphs (gradient checks) cast it.
  const onehot = g.floatType === 1 ? onehot32 : g.op('Cast', [onehot32], { to: g.floatType })
  const picked = g.op('ReduceSum', [g.op('Mul', [logp, onehot]), g.ints([-1])], { keepdims: 0 })
  const total = g.op('ReduceSum', [g.op('Mul', [picked, mask])], { keepdims: 0 })
  const count = g.op('Max', [g.op('ReduceSum', [mask], { keepdims: 0 }), g.scalar(1)])
  return g.op('Neg', [g.op('Div', [total, count])])
}

export interface ParamUpdate {
  param: string
  grad: string
  m: string
  v: string
  decay: boolean
  /** Names for the new parameter and moments (graph outputs); fresh names when absent. */
  outputs?: { param: string; m: string; v: string }
}

export interface AdamWOutputs {
  gradNorm: string
  params: string[]
  m: string[]
  v: string[]
}

/**
 * AdamW as in Loshchilov & Hutter 2019 ("Decoupled Weight Decay Regularization", Alg. 2)
 * with Adam's bias correction (Kingma & Ba 2015): the decay θ·λ is applied to the weights
 * directly, not added to the gradient, and scaled by the scheduled learning rate as in
 * PyTorch's AdamW. `lr` and `step` (t ≥ 1) are graph inputs so the loop drives the schedule.
 *
 * Every step is memory-bound (one pass per elementwise node over every parameter), so all
 * that is per step and not per element is folded into scalars first, as PyTorch's AdamW
 * does: θ' = θ·(1 - lr·λ) - m'·(lr·√bc2/bc1) / (√v' + ε·√bc2), with the clipping factor
 * inside m' and v''s coefficients. That is 13 passes per decayed tensor instead of 20.
 */
export function appendAdamW(
  g: GraphEditor,
  updates: ParamUpdate[],
  lr: string,
  step: string,
  o: AdamWOptions,
): AdamWOutputs {
  const sq = updates.map((u) => g.op('ReduceSumSquare', [u.grad], { keepdims: 0 }))
  const gradNorm = g.op('Sqrt', [sq.length === 1 ? sq[0] : g.op('Sum', sq)])
  const clip = g.op('Min', [
    g.scalar(1),
    g.op('Div', [g.scalar(o.maxGradNorm), g.op('Add', [gradNorm, g.scalar(1e-6)])]),
  ])
  const sqrtBc2 = g.op('Sqrt', [g.op('Sub', [g.scalar(1), g.op('Pow', [g.scalar(o.beta2), step])])])
  const bc1 = g.op('Sub', [g.scalar(1), g.op('Pow', [g.scalar(o.beta1), step])])
  const gradScale1 = g.op('Mul', [clip, g.scalar(1 - o.beta1)])
  const gradScale2 = g.op('Mul', [g.op('Mul', [clip, clip]), g.scalar(1 - o.beta2)])
  // Negative, so the update is one Add (or a multiply-add with the decay factor).
  const stepSize = g.op('Neg', [g.op('Div', [g.op('Mul', [lr, sqrtBc2]), bc1])])
  const epsHat = g.op('Mul', [sqrtBc2, g.scalar(o.eps)])
  const keep = g.op('Sub', [g.scalar(1), g.op('Mul', [lr, g.scalar(o.weightDecay)])])
  const out: AdamWOutputs = { gradNorm, params: [], m: [], v: [] }
  const emit = (name: string | undefined, opType: string, inputs: string[]): string =>
    name ? g.opTo(name, opType, inputs) : g.op(opType, inputs)
  for (const u of updates) {
    const m = emit(u.outputs?.m, 'Add', [
      g.op('Mul', [u.m, g.scalar(o.beta1)]),
      g.op('Mul', [u.grad, gradScale1]),
    ])
    const v = emit(u.outputs?.v, 'Add', [
      g.op('Mul', [u.v, g.scalar(o.beta2)]),
      g.op('Mul', [g.op('Mul', [u.grad, u.grad]), gradScale2]),
    ])
    const denom = g.op('Add', [g.op('Sqrt', [v]), epsHat])
    const delta = g.op('Mul', [g.op('Div', [m, denom]), stepSize])
    const base = u.decay && o.weightDecay > 0 ? g.op('Mul', [u.param, keep]) : u.param
    out.params.push(emit(u.outputs?.param, 'Add', [base, delta]))
    out.m.push(m)
    out.v.push(v)
  }
  return out
}
