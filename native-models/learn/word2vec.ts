import * as ort from 'onnxruntime-node'
import type { onnx } from 'onnx-proto'
import { appendBackward } from '../autodiff/backward'
import { GraphEditor } from '../autodiff/graphEditor'
import { seededRandom } from '../random/seededRandom'
import { appendAdamW } from '../training/lossAndOptimizer'
import { createSession, outputInfo, probeShapes } from '../training/ortGraph'
import {
  buildVocab,
  pairSampler,
  textWords,
  Word2VecInputError,
  type Word2VecVocab,
} from './word2vecData'

// Skip-gram with negative sampling (Mikolov et al. 2013, eq. 4) as one ONNX training graph:
// the loss −log σ(u_o·v_c) − Σ_k log σ(−u_k·v_c) over a batch of pairs, differentiated by our
// autodiff and followed by an Adam step in the same graph, the way fine-tuning trains the
// language model (training/trainingGraph.ts). onnxruntime runs it; JS only feeds batches.

export interface Word2VecOptions {
  /** Context words on each side (the most; word2vec's dynamic window picks 1..window). */
  window: number
  dims: number
  negatives: number
  steps: number
  /** Pairs per step. */
  batch?: number
  lr?: number
  seed?: number
  maxVocab?: number
  minCount?: number
  /** Subsampling threshold t of frequent words (word2vec's -sample); 0 turns it off. */
  sample?: number
  threads?: number
}

export interface Word2VecStep {
  step: number
  loss: number
}

export interface Word2VecCallbacks {
  onStep?(step: Word2VecStep, vectors: () => Float32Array): void | Promise<void>
  shouldStop?(): boolean
}

export interface Word2VecResult {
  words: string[]
  counts: number[]
  dims: number
  /** words × dims, row-major: the input ("centre") vectors, as word2vec saves. */
  vectors: Float32Array
  losses: number[]
  steps: number
  stopped: boolean
}

const IN = 'w2v/in_vectors'
const OUT = 'w2v/out_vectors'
const FEED = { centres: 'w2v/centres', contexts: 'w2v/contexts', negatives: 'w2v/negatives' }
const LR = 'w2v/lr'
const STEP = 'w2v/step'
const LOSS = 'w2v/loss'

interface Word2VecGraph {
  model: onnx.IModelProto
  newParams: string[]
  newM: string[]
  newV: string[]
}

async function buildGraph(
  vocab: number,
  dims: number,
  batch: number,
  k: number,
): Promise<Word2VecGraph> {
  const info = (name: string, type: number, shape: number[]): onnx.IValueInfoProto => ({
    name,
    type: { tensorType: { elemType: type, shape: { dim: shape.map((d) => ({ dimValue: d })) } } },
  })
  const graph: onnx.IGraphProto = {
    name: 'word2vec',
    node: [],
    initializer: [],
    input: [
      info(IN, 1, [vocab, dims]),
      info(OUT, 1, [vocab, dims]),
      info(FEED.centres, 7, [batch]),
      info(FEED.contexts, 7, [batch]),
      info(FEED.negatives, 7, [batch, k]),
    ],
    output: [],
  }
  const g = new GraphEditor(graph, 1, 'w2v')
  // log σ(x) = min(x, 0) − log(1 + e^(−|x|)), with min and |·| as Where so the gradient is
  // right at 0 too: Log(Sigmoid(x)) underflows to −∞ (its gradient to NaN) past x ≈ −88.
  const logSigmoid = (x: string) => {
    const negative = g.op('Less', [x, g.scalar(0)])
    const low = g.op('Where', [negative, x, g.scalar(0)])
    const abs = g.op('Where', [negative, g.op('Neg', [x]), x])
    const soft = g.op('Log', [g.op('Add', [g.scalar(1), g.op('Exp', [g.op('Neg', [abs])])])])
    return g.op('Sub', [low, soft])
  }
  const centre = g.op('Gather', [IN, FEED.centres], { axis: 0 })
  const context = g.op('Gather', [OUT, FEED.contexts], { axis: 0 })
  const noise = g.op('Gather', [OUT, FEED.negatives], { axis: 0 })
  const pos = g.op('ReduceSum', [g.op('Mul', [centre, context]), g.ints([-1])], { keepdims: 0 })
  const centre3 = g.op('Unsqueeze', [centre, g.ints([1])])
  const neg = g.op('ReduceSum', [g.op('Mul', [centre3, noise]), g.ints([-1])], { keepdims: 0 })
  const perPair = g.op('Add', [
    logSigmoid(pos),
    g.op('ReduceSum', [logSigmoid(g.op('Neg', [neg])), g.ints([-1])], { keepdims: 0 }),
  ])
  const loss = g.op('Neg', [g.op('ReduceMean', [perPair], { keepdims: 0 })])
  graph.node!.push({ opType: 'Identity', input: [loss], output: [LOSS], name: LOSS })
  graph.output!.push(outputInfo(LOSS, 1))
  const model: onnx.IModelProto = {
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    graph,
  }
  const ids = (n: number, shape: number[]) => new ort.Tensor('int64', new BigInt64Array(n), shape)
  const zeros = () => new ort.Tensor('float32', new Float32Array(vocab * dims), [vocab, dims])
  const shapes = await probeShapes(model, {
    [IN]: zeros(),
    [OUT]: zeros(),
    [FEED.centres]: ids(batch, [batch]),
    [FEED.contexts]: ids(batch, [batch]),
    [FEED.negatives]: ids(batch * k, [batch, k]),
  })
  const grads = appendBackward(graph, { loss: LOSS, wrt: [IN, OUT], shapes })
  const params = [IN, OUT]
  const m = params.map((p) => `adam_m/${p}`)
  const v = params.map((p) => `adam_v/${p}`)
  graph.input!.push(
    info(LR, 1, []),
    info(STEP, 1, []),
    ...[...m, ...v].map((n) => info(n, 1, [vocab, dims])),
  )
  // No weight decay, and clipping only against blow-ups: word2vec trains with plain SGD.
  const out = appendAdamW(
    g,
    params.map((p, i) => ({ param: p, grad: grads.get(p)!, m: m[i], v: v[i], decay: false })),
    LR,
    STEP,
    { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, maxGradNorm: 1e6 },
  )
  const named = (from: string, to: string): string => {
    graph.node!.push({ opType: 'Identity', input: [from], output: [to], name: to })
    graph.output!.push(info(to, 1, [vocab, dims]))
    return to
  }
  return {
    model,
    newParams: params.map((p, i) => named(out.params[i], `new/${p}`)),
    newM: params.map((p, i) => named(out.m[i], `new_m/${p}`)),
    newV: params.map((p, i) => named(out.v[i], `new_v/${p}`)),
  }
}

/** The vocabulary word2vec would train on for this text (the same words trainWord2Vec uses). */
export function word2vecVocab(
  text: string,
  opts: Pick<Word2VecOptions, 'maxVocab' | 'minCount'>,
): Word2VecVocab {
  return buildVocab(textWords(text), opts.maxVocab ?? 2000, opts.minCount ?? 2)
}

export function trainWord2Vec(
  text: string,
  opts: Word2VecOptions,
  callbacks: Word2VecCallbacks = {},
): Promise<Word2VecResult> {
  return trainWord2VecOn(word2vecVocab(text, opts), opts, callbacks)
}

/** Trains on a vocabulary already built (the caller also needs its words). */
export async function trainWord2VecOn(
  vocab: Word2VecVocab,
  opts: Word2VecOptions,
  callbacks: Word2VecCallbacks = {},
): Promise<Word2VecResult> {
  const V = vocab.words.length
  if (V < 2) {
    throw new Word2VecInputError(
      `word2vec: the text has ${V} word(s) seen at least ${opts.minCount ?? 2} times; it needs two or more`,
    )
  }
  const { dims, negatives: k } = opts
  const batch = opts.batch ?? 256
  const lr = opts.lr ?? 0.01
  const seed = opts.seed ?? 1
  const graph = await buildGraph(V, dims, batch, k)
  // One thread without spin-waiting by default: the graph is small, and the app (and other
  // work on a 2-core machine) keeps the other core.
  const session = await createSession(graph.model, {
    intraOpNumThreads: opts.threads ?? 1,
    extra: { session: { 'intra_op.allow_spinning': '0' } },
  })
  // word2vec's initialisation: input vectors uniform in ±0.5/dims, output vectors zero.
  const rand = seededRandom(seed ^ 0x9e3779b9)
  let params: Float32Array[] = [
    Float32Array.from({ length: V * dims }, () => (rand() - 0.5) / dims),
    new Float32Array(V * dims),
  ]
  let m: Float32Array[] = [new Float32Array(V * dims), new Float32Array(V * dims)]
  let v: Float32Array[] = [new Float32Array(V * dims), new Float32Array(V * dims)]
  const next = pairSampler(vocab, {
    window: opts.window,
    negatives: k,
    batch,
    seed,
    sample: opts.sample,
  })
  const mat = (data: Float32Array) => new ort.Tensor('float32', data, [V, dims])
  const losses: number[] = []
  let stopped = false
  try {
    for (let step = 1; step <= opts.steps; step++) {
      if (callbacks.shouldStop?.()) {
        stopped = true
        break
      }
      const b = next()
      const out = await session.run({
        [IN]: mat(params[0]),
        [OUT]: mat(params[1]),
        [FEED.centres]: new ort.Tensor('int64', b.centres, [batch]),
        [FEED.contexts]: new ort.Tensor('int64', b.contexts, [batch]),
        [FEED.negatives]: new ort.Tensor('int64', b.negatives, [batch, k]),
        // Decays linearly to nearly 0, as word2vec's own learning rate does.
        [LR]: new ort.Tensor(
          'float32',
          Float32Array.of(lr * Math.max(1e-4, 1 - (step - 1) / opts.steps)),
          [],
        ),
        [STEP]: new ort.Tensor('float32', Float32Array.of(step), []),
        [`adam_m/${IN}`]: mat(m[0]),
        [`adam_m/${OUT}`]: mat(m[1]),
        [`adam_v/${IN}`]: mat(v[0]),
        [`adam_v/${OUT}`]: mat(v[1]),
      })
      const read = (names: string[]) => names.map((n) => out[n].data as Float32Array)
      params = read(graph.newParams)
      m = read(graph.newM)
      v = read(graph.newV)
      const loss = Number((out[LOSS].data as Float32Array)[0])
      if (!Number.isFinite(loss)) {
        throw new Word2VecInputError(
          `word2vec: the loss diverged at step ${step}; try a smaller learning rate`,
        )
      }
      losses.push(loss)
      const current = params[0]
      await callbacks.onStep?.({ step, loss }, () => current)
    }
  } finally {
    await session.release()
  }
  return {
    words: vocab.words,
    counts: vocab.counts,
    dims,
    vectors: params[0],
    losses,
    steps: losses.length,
    stopped,
  }
}
