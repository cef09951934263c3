import type { AdamWOptions } from './lossAndOptimizer'

// The AdamW step over the parameters in place, in one pass per tensor. In the graph the
// same update is about 13 elementwise nodes, each a memory-bound pass over every parameter
// with its own output buffer; here each element is read and written once.

export interface AdamWState {
  params: Float32Array[]
  m: Float32Array[]
  v: Float32Array[]
}

/** The gradients' global L2 norm (accumulated in float64). */
export function globalNorm(grads: Float32Array[]): number {
  let sum = 0
  for (const g of grads) {
    let s = 0
    for (let i = 0; i < g.length; i++) s += g[i] * g[i]
    sum += s
  }
  return Math.sqrt(sum)
}

/**
 * AdamW as in Loshchilov & Hutter 2019 (Alg. 2) with Adam's bias correction, in PyTorch's
 * form: θ ← θ·(1 - lr·λ) - (lr / bc1)·m / (√v / √bc2 + ε), gradients first clipped to a
 * global norm of `maxGradNorm` (Pascanu et al. 2013). `step` counts from 1. Returns the
 * gradients' norm before clipping.
 */
export function adamwStep(
  state: AdamWState,
  grads: Float32Array[],
  decay: boolean[],
  lr: number,
  step: number,
  o: AdamWOptions,
): number {
  const norm = globalNorm(grads)
  const clip = Math.min(1, o.maxGradNorm / (norm + 1e-6))
  const { beta1: b1, beta2: b2 } = o
  const scale1 = clip * (1 - b1)
  const scale2 = clip * clip * (1 - b2)
  const sqrtBc2 = Math.sqrt(1 - b2 ** step)
  // Folding √bc2 into the step and ε keeps one division per element.
  const stepSize = (lr * sqrtBc2) / (1 - b1 ** step)
  const epsHat = o.eps * sqrtBc2
  grads.forEach((g, k) => {
    const p = state.params[k]
    const m = state.m[k]
    const v = state.v[k]
    const keep = decay[k] ? 1 - lr * o.weightDecay : 1
    for (let i = 0; i < p.length; i++) {
      const gi = g[i]
      const mi = m[i] * b1 + gi * scale1
      const vi = v[i] * b2 + gi * gi * scale2
      m[i] = mi
      v[i] = vi
      p[i] = p[i] * keep - (stepSize * mi) / (Math.sqrt(vi) + epsHat)
    }
  })
  return norm
}
