// The machine's bounds, measured in the same run as the engines: memory bandwidth bounds
// decode (each token reads every weight once), onnxruntime's best MatMul rate bounds prefill
// and training (they are matmul-bound). Every engine figure is reported as a fraction of these.

import { Worker } from 'node:worker_threads'
import { GraphBuilder, serializeModel } from '../../native-models/onnx'
import { createSessionFromBytes, ort } from '../../native-models/onnx/session'

/**
 * Copy bandwidth with `threads` workers copying their own 128 MiB buffers at once (the
 * STREAM "copy" kernel: bytes read + bytes written). Best of five rounds.
 */
export async function memoryBandwidth(threads: number): Promise<number> {
  const code = `
    const { parentPort } = require('node:worker_threads')
    const n = 16 * 1024 * 1024 // 128 MiB of float64
    const src = new Float64Array(n).fill(1), dst = new Float64Array(n)
    dst.set(src) // touch the pages before timing
    parentPort.on('message', () => {
      const t = performance.now()
      dst.set(src)
      parentPort.postMessage({ bytes: 2 * n * 8, ms: performance.now() - t })
    })
    parentPort.postMessage('ready')`
  const workers = Array.from({ length: threads }, () => new Worker(code, { eval: true }))
  const next = (w: Worker) =>
    new Promise<{ bytes: number; ms: number }>((r) => w.once('message', r))
  await Promise.all(workers.map(next))
  let best = 0
  for (let round = 0; round < 5; round++) {
    const results = await Promise.all(workers.map((w) => (w.postMessage('go'), next(w))))
    const bytes = results.reduce((s, r) => s + r.bytes, 0)
    best = Math.max(best, bytes / (Math.max(...results.map((r) => r.ms)) / 1000))
  }
  await Promise.all(workers.map((w) => w.terminate()))
  return best
}

export interface MatMulRate {
  m: number
  k: number
  n: number
  gflops: number
}

/** onnxruntime's f32 MatMul on the shapes these models use; the best one is the bound. */
export async function matMulRates(threads: number): Promise<MatMulRate[]> {
  const shapes: [number, number, number][] = [
    [512, 576, 576], // SmolLM2-135M attention projections over a 512-token prefill
    [512, 576, 1536], // its MLP
    [512, 768, 3072], // GPT-2 small MLP
    [1024, 384, 1536], // the training config's MLP over a 4 x 256 batch
    [1024, 1024, 1024],
  ]
  const out: MatMulRate[] = []
  for (const [m, k, n] of shapes) {
    const b = new GraphBuilder('matmul')
    const x = b.input('x', 'float32', [m, k])
    const w = b.initializer('w', 'float32', [k, n], new Float32Array(k * n).fill(0.01))
    b.output(b.matMul(x, w), 'y')
    const session = await createSessionFromBytes(serializeModel(b), { threads })
    const feed = { x: new ort.Tensor('float32', new Float32Array(m * k).fill(0.5), [m, k]) }
    await session.run(feed)
    let best = Infinity
    for (let i = 0; i < 5; i++) {
      const t = performance.now()
      await session.run(feed)
      best = Math.min(best, performance.now() - t)
    }
    await session.release()
    out.push({ m, k, n, gflops: (2 * m * k * n) / (best / 1000) / 1e9 })
  }
  return out
}
