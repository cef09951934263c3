// Where a Glassbox training step's time goes: the bench's training graph (same spec as
// bench:peers) run for two steps with onnxruntime's profiler, summed by op type, the
// step's wall time split into kernels vs. the feeding/fetching of parameters and
// gradients, and the AdamW step (in JS, after the graph) timed on its own.
//   npx tsx bench/peers/profileTraining.ts .tmp/bench-peers/training/spec.json

import { readFileSync, readdirSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import * as ort from 'onnxruntime-node'
import { adamwStep } from '../../native-models/training/adamw'
import { createSession } from '../../native-models/training/ortGraph'
import { TRAIN_INPUTS } from '../../native-models/training/trainingGraph'
import { buildSpecGraph, readSpecWeights } from './specGraph'
import type { TrainingSpec } from './training'

async function main(specPath: string) {
  const spec = JSON.parse(readFileSync(specPath, 'utf8')) as TrainingSpec
  const weights = readSpecWeights(spec)
  const { batch: B, seq_len: T } = spec
  const graph = await buildSpecGraph(spec, weights)
  const session = await createSession(graph.model, {
    intraOpNumThreads: spec.threads,
    enableProfiling: true,
    profileFilePrefix: '.tmp/glassbox-training-profile',
  })
  const tensor = (data: Float32Array, i: number) => new ort.Tensor('float32', data, graph.shapes[i])
  const zeros = graph.shapes.map((s) => new Float32Array(s.reduce((a, b) => a * b, 1)))
  const ids = new BigInt64Array(B * T).map((_, i) => BigInt(i % 256))
  const feeds: Record<string, ort.Tensor> = {
    input_ids: new ort.Tensor('int64', ids, [B, T]),
    [TRAIN_INPUTS.targets]: new ort.Tensor('int64', ids, [B, T]),
    [TRAIN_INPUTS.lossMask]: new ort.Tensor('float32', new Float32Array(B * T).fill(1), [B, T]),
  }
  const params = graph.initial.map((p) => Float32Array.from(p))
  graph.params.forEach((p, i) => (feeds[p] = tensor(params[i], i)))
  const state = { params, m: zeros, v: zeros.map((z) => z.slice()) }
  const decay = graph.shapes.map((s) => s.length >= 2)
  const wall: number[] = []
  const optimizerMs: number[] = []
  for (let step = 0; step < 2; step++) {
    const t = performance.now()
    const out = await session.run(feeds)
    wall.push(performance.now() - t)
    const grads = graph.grads.map((g) => out[g].data as Float32Array)
    const t1 = performance.now()
    adamwStep(state, grads, decay, spec.lr, step + 1, spec.adamw)
    optimizerMs.push(performance.now() - t1)
  }
  // onnxruntime-node's endProfiling returns nothing: the file is the newest with our prefix.
  ;(session as unknown as { endProfiling(): void }).endProfiling()
  const file = readdirSync('.tmp')
    .filter((f) => f.startsWith('glassbox-training-profile'))
    .map((f) => join('.tmp', f))
    .sort((a, b) => statSync(a).mtimeMs - statSync(b).mtimeMs)
    .at(-1)!
  const events = JSON.parse(readFileSync(file, 'utf8')) as {
    cat: string
    name: string
    dur: number
    ts: number
    args?: { op_name?: string }
  }[]
  rmSync(file)
  const runs = events.filter((e) => e.cat === 'Session' && e.name === 'model_run')
  const last = runs.at(-1)!
  const nodes = events.filter(
    (e) => e.cat === 'Node' && e.name.endsWith('_kernel_time') && e.ts >= last.ts,
  )
  const byOp = new Map<string, number>()
  for (const n of nodes)
    byOp.set(n.args?.op_name ?? '?', (byOp.get(n.args?.op_name ?? '?') ?? 0) + n.dur)
  const kernelMs = [...byOp.values()].reduce((a, b) => a + b, 0) / 1000
  console.log(
    `step 2: wall ${wall[1].toFixed(0)} ms, inside session.run ${(last.dur / 1000).toFixed(0)} ms, ` +
      `kernels ${kernelMs.toFixed(0)} ms, ${nodes.length} nodes; AdamW (JS) ${optimizerMs[1].toFixed(0)} ms`,
  )
  for (const [op, us] of [...byOp].sort((a, b) => b[1] - a[1]).slice(0, 14)) {
    console.log(
      `  ${op.padEnd(24)} ${(us / 1000).toFixed(0).padStart(7)} ms  ${((us / 1000 / kernelMs) * 100).toFixed(1).padStart(5)}%`,
    )
  }
  await session.release()
}

main(process.argv[2]).catch((error: Error) => {
  console.error(error.stack ?? error.message)
  process.exit(1)
})
