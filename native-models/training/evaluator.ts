import * as ort from 'onnxruntime-node'
import type { PackedData } from './packing'
import { batchAt } from './packing'
import { createSession } from './ortGraph'
import { TRAIN_INPUTS, type TrainingGraph } from './trainingGraph'

// Held-out loss with the current parameters, through an 'eval' training graph (forward +
// loss, parameters as inputs, so the trainer's arrays are fed without rebuilding).

export class Evaluator {
  private constructor(
    private readonly graph: TrainingGraph,
    private readonly session: ort.InferenceSession,
    private readonly inputIds: string,
    private readonly batchSize: number,
  ) {}

  static async create(
    graph: TrainingGraph,
    inputIds: string,
    batchSize: number,
    threads?: number,
  ): Promise<Evaluator> {
    const session = await createSession(graph.model, threads ? { intraOpNumThreads: threads } : {})
    return new Evaluator(graph, session, inputIds, batchSize)
  }

  /** Mean next-token loss over (up to `maxBatches` batches of) `data`, weighted by tokens. */
  async loss(params: Float32Array[], data: PackedData, maxBatches = Infinity): Promise<number> {
    const n = Math.min(maxBatches, Math.ceil(data.count / this.batchSize))
    let total = 0
    let tokens = 0
    const feeds = Object.fromEntries(
      this.graph.params.map((p, i) => [
        p,
        new ort.Tensor('float32', params[i], this.graph.shapes[i]),
      ]),
    )
    for (let k = 0; k < n; k++) {
      // Seed 0, epoch 0: a fixed order, the same windows every evaluation.
      const b = batchAt(data, this.batchSize, 0, k)
      const count = b.lossMask.reduce((a, x) => a + x, 0)
      if (count === 0) continue
      const dims = [b.batch, b.seqLen]
      const out = await this.session.run({
        ...feeds,
        [this.inputIds]: new ort.Tensor('int64', b.inputIds, dims),
        [TRAIN_INPUTS.targets]: new ort.Tensor('int64', b.targets, dims),
        [TRAIN_INPUTS.lossMask]: new ort.Tensor('float32', b.lossMask, dims),
      })
      total += Number(out[TRAIN_INPUTS.loss].data[0]) * count
      tokens += count
    }
    return tokens ? total / tokens : NaN
  }

  async release(): Promise<void> {
    await this.session.release()
  }
}
