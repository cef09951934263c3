// The training graph of a bench:peers training spec, shared by the timed run (trainChild.ts)
// and the profiler (profileTraining.ts) so both measure the same graph.
import { readFileSync } from 'node:fs'
import { MemoryWeights, parseConfig } from '../../native-models/arch'
import { trainableForward } from '../../native-models/training/modelTraining'
import { buildTrainingGraph } from '../../native-models/training/trainingGraph'
import type { TrainingSpec } from './training'

/** The spec's initial weights, read from its float32 blob by the manifest. */
export function readSpecWeights(spec: TrainingSpec): MemoryWeights {
  const buf = readFileSync(spec.weights)
  const blob = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4)
  const tensors = new Map(
    Object.entries(spec.manifest).map(([name, [offset, shape]]) => {
      const n = shape.reduce((a, b) => a * b, 1)
      return [name, { shape, data: blob.slice(offset, offset + n) }]
    }),
  )
  return new MemoryWeights(tensors)
}

/** Forward, loss and backward for the spec's model, batch and sequence length. */
export function buildSpecGraph(spec: TrainingSpec, weights: MemoryWeights) {
  const forward = trainableForward(parseConfig(spec.config), weights)
  const { batch: B, seq_len: T } = spec
  return buildTrainingGraph({
    forward: forward.model,
    inputIds: 'input_ids',
    logits: 'logits',
    vocabSize: spec.config.vocab_size,
    batch: B,
    seqLen: T,
    trainable: forward.weights,
    fixedInputs: forward.fixedInputs(B, T),
  })
}
