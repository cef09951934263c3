import * as ort from 'onnxruntime-node'
import { adamwStep } from './adamw'
import { DEFAULT_ADAMW, type AdamWOptions } from './lossAndOptimizer'
import { createSession } from './ortGraph'
import { TRAIN_INPUTS, type TrainingGraph } from './trainingGraph'

// Runs training graphs step by step, holding the parameters and Adam moments in JS memory
// between steps (onnxruntime-node has no training API and no persistent device buffers).
// The graph gives the loss and the gradients; the AdamW update runs here, in place, in one
// pass over each tensor (in the graph it was ~13 memory-bound passes, each with its own
// output buffer, and three parameter-sized outputs copied back every step).

export interface TokenBatch {
  inputIds: BigInt64Array
  targets: BigInt64Array
  lossMask: Float32Array
  batch: number
  seqLen: number
}

/** Updated in place by each step: copy it to keep a snapshot. */
export interface TrainerState {
  step: number
  params: Float32Array[]
  m: Float32Array[]
  v: Float32Array[]
}

export interface StepResult {
  loss: number
  gradNorm: number
}

function batchFeeds(b: TokenBatch, inputIds: string): Record<string, ort.Tensor> {
  const dims = [b.batch, b.seqLen]
  return {
    [inputIds]: new ort.Tensor('int64', b.inputIds, dims),
    [TRAIN_INPUTS.targets]: new ort.Tensor('int64', b.targets, dims),
    [TRAIN_INPUTS.lossMask]: new ort.Tensor('float32', b.lossMask, dims),
  }
}

export class Trainer {
  private constructor(
    readonly graph: TrainingGraph,
    private readonly session: ort.InferenceSession,
    private readonly optimizer: AdamWOptions,
    private readonly decay: boolean[],
    /** onnxruntime writes each step's gradients into these (preallocated fetches). */
    private readonly grads: Float32Array[],
    readonly inputIds: string,
    public state: TrainerState,
  ) {}

  /** `graph` is a 'gradients' training graph; `decay` defaults to every matrix (rank ≥ 2). */
  static async create(
    graph: TrainingGraph,
    inputIds: string,
    options: { threads?: number; optimizer?: Partial<AdamWOptions>; decay?: boolean[] } = {},
  ): Promise<Trainer> {
    if (graph.grads.length !== graph.params.length) {
      throw new Error('Trainer: the training graph must be built in mode "gradients"')
    }
    // No spin-waiting between kernels: a training step is ~1,100 kernels, and on a machine
    // shared with the app's UI or other work, idle workers spinning for the next kernel took
    // CPU from the busy ones (side by side under load: step wall time -15 %, CPU time equal).
    const session = await createSession(graph.model, {
      ...(options.threads ? { intraOpNumThreads: options.threads } : {}),
      extra: { session: { 'intra_op.allow_spinning': '0' } },
    })
    const decay = options.decay ?? graph.shapes.map((s) => s.length >= 2)
    const zeros = (): Float32Array[] =>
      graph.shapes.map((s) => new Float32Array(s.reduce((a, b) => a * b, 1)))
    const state: TrainerState = {
      step: 0,
      params: graph.initial.map((p) => Float32Array.from(p)),
      m: zeros(),
      v: zeros(),
    }
    const optimizer = { ...DEFAULT_ADAMW, ...options.optimizer }
    return new Trainer(graph, session, optimizer, decay, zeros(), inputIds, state)
  }

  private tensors(names: string[], values: Float32Array[]): Record<string, ort.Tensor> {
    return Object.fromEntries(
      names.map((n, i) => [n, new ort.Tensor('float32', values[i], this.graph.shapes[i])]),
    )
  }

  /** One optimizer step over one or more micro-batches (their gradients are averaged). */
  async step(
    microBatches: TokenBatch[],
    lr: number,
    stepInputs: Record<string, ort.Tensor> = {},
  ): Promise<StepResult> {
    const g = this.graph
    const s = this.state
    const params = this.tensors(g.params, s.params)
    const fetches = { [TRAIN_INPUTS.loss]: null, ...this.tensors(g.grads, this.grads) }
    const sums =
      microBatches.length > 1
        ? g.shapes.map((_, i) => new Float32Array(this.grads[i].length))
        : this.grads
    let loss = 0
    for (const mb of microBatches) {
      const r = await this.session.run(
        { ...params, ...batchFeeds(mb, this.inputIds), ...stepInputs },
        fetches,
      )
      loss += Number(r[TRAIN_INPUTS.loss].data[0]) / microBatches.length
      if (sums === this.grads) continue
      this.grads.forEach((grad, i) => {
        const sum = sums[i]
        for (let k = 0; k < sum.length; k++) sum[k] += grad[k] / microBatches.length
      })
    }
    const t = s.step + 1
    const gradNorm = adamwStep(s, sums, this.decay, lr, t, this.optimizer)
    this.state = { ...s, step: t }
    return { loss, gradNorm }
  }

  async release(): Promise<void> {
    await this.session.release()
  }
}
