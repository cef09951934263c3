import * as ort from 'onnxruntime-node'
import type { onnx } from 'onnx-proto'
import { GraphEditor } from '../autodiff/graphEditor'
import { appendAdamW, DEFAULT_ADAMW, type AdamWOptions } from './lossAndOptimizer'
import { createSession } from './ortGraph'
import { TRAIN_INPUTS, type TrainingGraph } from './trainingGraph'

// Runs training graphs step by step, holding the parameters and Adam moments in JS memory
// between steps (onnxruntime-node has no training API and no persistent device buffers).

export interface TokenBatch {
  inputIds: BigInt64Array
  targets: BigInt64Array
  lossMask: Float32Array
  batch: number
  seqLen: number
}

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

const scalar = (x: number): ort.Tensor => new ort.Tensor('float32', Float32Array.of(x), [])

/** The optimizer alone, for gradient accumulation: inputs params, summed grads, moments. */
function applyGraph(graph: TrainingGraph, opt: AdamWOptions, decay: boolean[]): onnx.IModelProto {
  const g: onnx.IGraphProto = { name: 'adamw', node: [], initializer: [], input: [], output: [] }
  const e = new GraphEditor(g, 1, 'apply')
  const info = (name: string, dims: number[]): onnx.IValueInfoProto => ({
    name,
    type: { tensorType: { elemType: 1, shape: { dim: dims.map((d) => ({ dimValue: d })) } } },
  })
  g.input!.push(info(TRAIN_INPUTS.lr, []), info(TRAIN_INPUTS.step, []))
  const updates = graph.params.map((p, i) => {
    for (const n of [p, graph.grads[i], graph.m[i], graph.v[i]])
      g.input!.push(info(n, graph.shapes[i]))
    const outputs = { param: `new/${p}`, m: `new_m/${p}`, v: `new_v/${p}` }
    for (const n of Object.values(outputs)) g.output!.push(info(n, graph.shapes[i]))
    return {
      param: p,
      grad: graph.grads[i],
      m: graph.m[i],
      v: graph.v[i],
      decay: decay[i],
      outputs,
    }
  })
  const out = appendAdamW(e, updates, TRAIN_INPUTS.lr, TRAIN_INPUTS.step, opt)
  g.node!.push({
    opType: 'Identity',
    input: [out.gradNorm],
    output: [TRAIN_INPUTS.gradNorm],
    name: TRAIN_INPUTS.gradNorm,
  })
  g.output!.push(info(TRAIN_INPUTS.gradNorm, []))
  return { irVersion: 8, opsetImport: [{ domain: '', version: 17 }], graph: g }
}

export class Trainer {
  private constructor(
    readonly graph: TrainingGraph,
    private readonly session: ort.InferenceSession,
    private readonly apply: ort.InferenceSession | null,
    readonly inputIds: string,
    public state: TrainerState,
  ) {}

  /**
   * `graph` is a fused training graph, or with `accumulate` a 'gradients' graph whose
   * gradients are summed over micro-batches before one AdamW step.
   */
  static async create(
    graph: TrainingGraph,
    inputIds: string,
    options: { threads?: number; optimizer?: Partial<AdamWOptions>; decay?: boolean[] } = {},
  ): Promise<Trainer> {
    const sessionOptions = options.threads ? { intraOpNumThreads: options.threads } : {}
    const session = await createSession(graph.model, sessionOptions)
    const accumulate = graph.newParams.length === 0
    const decay = options.decay ?? graph.shapes.map((s) => s.length >= 2)
    const apply = accumulate
      ? await createSession(
          applyGraph(graph, { ...DEFAULT_ADAMW, ...options.optimizer }, decay),
          sessionOptions,
        )
      : null
    const zeros = (): Float32Array[] =>
      graph.shapes.map((s) => new Float32Array(s.reduce((a, b) => a * b, 1)))
    const state: TrainerState = {
      step: 0,
      params: graph.initial.map((p) => Float32Array.from(p)),
      m: zeros(),
      v: zeros(),
    }
    return new Trainer(graph, session, apply, inputIds, state)
  }

  private paramFeeds(names: string[], values: Float32Array[]): Record<string, ort.Tensor> {
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
    const t = s.step + 1
    const common = {
      ...this.paramFeeds(g.params, s.params),
      [TRAIN_INPUTS.lr]: scalar(lr),
      [TRAIN_INPUTS.step]: scalar(t),
    }
    const extra = stepInputs
    let out: ort.InferenceSession.ReturnType
    let loss = 0
    if (!this.apply) {
      if (microBatches.length !== 1)
        throw new Error('a fused training graph takes one micro-batch per step')
      out = await this.session.run({
        ...common,
        ...this.paramFeeds(g.m, s.m),
        ...this.paramFeeds(g.v, s.v),
        ...batchFeeds(microBatches[0], this.inputIds),
        ...extra,
      })
      loss = Number(out[TRAIN_INPUTS.loss].data[0])
    } else {
      const sums = g.shapes.map((sh) => new Float32Array(sh.reduce((a, b) => a * b, 1)))
      for (const mb of microBatches) {
        const r = await this.session.run({
          ...this.paramFeeds(g.params, s.params),
          ...batchFeeds(mb, this.inputIds),
          ...extra,
        })
        loss += Number(r[TRAIN_INPUTS.loss].data[0]) / microBatches.length
        g.grads.forEach((name, i) => {
          const grad = r[name].data as Float32Array
          const sum = sums[i]
          for (let k = 0; k < sum.length; k++) sum[k] += grad[k] / microBatches.length
        })
      }
      out = await this.apply.run({
        ...common,
        ...this.paramFeeds(g.grads, sums),
        ...this.paramFeeds(g.m, s.m),
        ...this.paramFeeds(g.v, s.v),
      })
    }
    this.state = {
      step: t,
      params: g.params.map((p) => out[`new/${p}`].data as Float32Array),
      m: g.params.map((p) => out[`new_m/${p}`].data as Float32Array),
      v: g.params.map((p) => out[`new_v/${p}`].data as Float32Array),
    }
    return { loss, gradNorm: Number(out[TRAIN_INPUTS.gradNorm].data[0]) }
  }

  async release(): Promise<void> {
    await this.session.release()
    await this.apply?.release()
  }
}
