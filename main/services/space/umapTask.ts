/**
 * UMAP (McInnes et al. 2018, via umap-js) in a worker: the fit is seconds of pure JS, which
 * would freeze every request if it ran on the main thread.
 */
import { createRequire } from 'node:module'
import { runWorkerTask, type RunningTask, type TaskContext } from './workerTask'

export interface UmapInput {
  umapPath: string
  vectors: Float32Array
  dims: number
  nComponents: number
  nNeighbors: number
  seed: number
}

/** Worker body (self-contained: it runs from its source text). Returns count × nComponents. */
export function fitUmap(input: UmapInput, ctx: TaskContext): Float32Array {
  const { UMAP } = ctx.require(input.umapPath) as typeof import('umap-js')
  const n = input.vectors.length / input.dims
  const data: number[][] = []
  for (let r = 0; r < n; r++) {
    data.push(Array.from(input.vectors.subarray(r * input.dims, (r + 1) * input.dims)))
  }
  // A seeded generator (mulberry32) so the same subset gives the same picture every time;
  // its own copy of native-models/random because this body runs from its source text.
  let state = input.seed >>> 0
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const umap = new UMAP({
    nComponents: input.nComponents,
    nNeighbors: Math.min(input.nNeighbors, n - 1),
    minDist: 0.1,
    random,
  })
  ctx.progress('umap-neighbours', 0, 1)
  const epochs = umap.initializeFit(data)
  for (let e = 0; e < epochs; e++) {
    umap.step()
    if (e % 10 === 0) ctx.progress('umap', e, epochs)
  }
  ctx.progress('umap', epochs, epochs)
  const embedding = umap.getEmbedding()
  const out = new Float32Array(n * input.nComponents)
  embedding.forEach((p, r) => p.forEach((v, c) => (out[r * input.nComponents + c] = v)))
  return out
}

export function runUmap(
  vectors: Float32Array,
  dims: number,
  nComponents: number,
  nNeighbors: number,
  onProgress?: (stage: string, done: number, total: number) => void,
): RunningTask<Float32Array> {
  const umapPath = createRequire(import.meta.url).resolve('umap-js')
  return runWorkerTask(
    fitUmap,
    { umapPath, vectors: vectors.slice(), dims, nComponents, nNeighbors, seed: 42 },
    onProgress,
  )
}
