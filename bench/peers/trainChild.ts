// Glassbox's side of the training comparison, in its own process (separate peak RSS):
//   node --import tsx bench/peers/trainChild.ts SPEC.json   → prints `RESULT <json>`

import { readFileSync } from 'node:fs'
import { Trainer, type TokenBatch } from '../../native-models/training/trainer'
import { peakRssMiB } from './peakRss'
import { buildSpecGraph, readSpecWeights } from './specGraph'
import type { TrainingResult, TrainingSpec } from './training'

async function main(specPath: string): Promise<TrainingResult> {
  const spec = JSON.parse(readFileSync(specPath, 'utf8')) as TrainingSpec
  const weights = readSpecWeights(spec)
  let t = performance.now()
  const { batch: B, seq_len: T } = spec
  const graph = await buildSpecGraph(spec, weights)
  const trainer = await Trainer.create(graph, 'input_ids', {
    threads: spec.threads,
    optimizer: spec.adamw,
  })
  const buildSeconds = (performance.now() - t) / 1000
  const tokBuf = readFileSync(spec.tokens)
  const tokens = new Int32Array(tokBuf.buffer, tokBuf.byteOffset, tokBuf.byteLength / 4)
  const losses: number[] = []
  const stepSeconds: number[] = []
  for (let step = 0; step < spec.steps; step++) {
    const inputIds = new BigInt64Array(B * T)
    const targets = new BigInt64Array(B * T)
    for (let b = 0; b < B; b++) {
      const base = (step * B + b) * (T + 1)
      for (let i = 0; i < T; i++) {
        inputIds[b * T + i] = BigInt(tokens[base + i])
        targets[b * T + i] = BigInt(tokens[base + i + 1])
      }
    }
    const batch: TokenBatch = {
      inputIds,
      targets,
      lossMask: new Float32Array(B * T).fill(1),
      batch: B,
      seqLen: T,
    }
    t = performance.now()
    const { loss } = await trainer.step([batch], spec.lr)
    stepSeconds.push((performance.now() - t) / 1000)
    losses.push(loss)
  }
  await trainer.release()
  const timed = stepSeconds.slice(1)
  return {
    engine: 'glassbox (onnxruntime-node)',
    losses,
    stepSeconds,
    tokensPerSecond: (B * T * timed.length) / timed.reduce((a, b) => a + b, 0),
    peakRssMiB: peakRssMiB(),
    buildSeconds,
  }
}

main(process.argv[2]).then(
  (r) => console.log(`RESULT ${JSON.stringify(r)}`),
  (error: Error) => {
    console.error(error.stack ?? error.message)
    process.exit(1)
  },
)
