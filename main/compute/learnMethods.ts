// The Learn tour's two views in the compute child: word2vec trained on onnxruntime (JS only
// feeds batches; a snapshot of the vectors goes out a few times a second) and the
// feed-forward reading of the loaded model, whose weights are read here, beside the model.
import fs from 'node:fs'
import path from 'node:path'
import { ApiError } from '../contract/define'
import type {
  FeedForwardRequest,
  FeedForwardResult,
  Word2VecProgress,
  Word2VecResult,
  Word2VecSettings,
} from '../contract/learnViews'
import { readModelFolder, type ModelFolder } from '../../native-models/io'
import { feedForwardLayer, topNeurons } from '../../native-models/learn/feedForward'
import { principalAxes, projectRows } from '../../native-models/learn/word2vecData'
import type { EngineModelRef } from '../services/engine/engine'
import type { ModelHost } from './engineMethods'
import type { ComputeCallContext } from './methods'

export interface LearnComputeMethods {
  'word2vec.train': {
    /** saveDir: where each run's vectors.tsv and metadata.tsv go (a folder per run). */
    input: { runId: number; settings: Word2VecSettings; saveDir: string }
    output: Word2VecResult
    event: Word2VecProgress
  }
  'feedForward.analyze': {
    input: { model: EngineModelRef; request: FeedForwardRequest }
    output: FeedForwardResult
    event: never
  }
}

const CORPUS = path.join('native-models', 'learn', 'corpus', 'genesis.txt')

/** The shipped corpus of this install, found by walking up to the package root. */
export function shippedCorpusPath(from: string = __dirname): string {
  let dir = from
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, CORPUS)
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(candidate)) return candidate
    dir = path.dirname(dir)
  }
  throw new Error(`The shipped corpus (${CORPUS}) is missing from this install.`)
}

const base64 = (a: Float32Array) =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64')

/** The words the 3D view follows: the asked ones found, else frequent words past the commonest. */
function shownRows(words: string[], asked: string[] | undefined): number[] {
  const index = new Map(words.map((w, i) => [w, i]))
  const found = (asked ?? []).map((w) => index.get(w.toLowerCase())).filter((i) => i !== undefined)
  if (found.length >= 3) return found
  const skip = words.length > 150 ? 20 : 0
  return words.slice(skip, skip + 100).map((_, i) => i + skip)
}

const SNAPSHOT_MS = 250

async function trainWord2Vec(
  { runId, settings, saveDir }: LearnComputeMethods['word2vec.train']['input'],
  ctx: ComputeCallContext<'word2vec.train'>,
): Promise<Word2VecResult> {
  const { trainWord2VecOn, word2vecVocab } = await import('../../native-models/learn/word2vec')
  const text =
    settings.corpus === 'shipped' ? fs.readFileSync(shippedCorpusPath(), 'utf8') : settings.text
  if (!text?.trim()) throw new ApiError('bad_request', 'word2vec: the text is empty.')
  const opts = { ...settings, minCount: 2 }
  const vocab = word2vecVocab(text, opts)
  const rows = shownRows(vocab.words, settings.show)
  const shown = rows.map((r) => vocab.words[r]).join('\n')
  let axes: Float64Array[] | undefined
  let pending: number[] = []
  let fromStep = 1
  let lastSent = 0
  const started = performance.now()
  const snapshot = (vectors: Float32Array, step: number) => {
    const d = settings.dims
    const picked = new Float32Array(rows.length * d)
    rows.forEach((r, i) => picked.set(vectors.subarray(r * d, (r + 1) * d), i * d))
    axes = principalAxes(picked, d, Math.min(3, d), axes)
    const points = projectRows(picked, d, axes)
    const xyz = new Float32Array(rows.length * 3)
    for (let i = 0; i < rows.length; i++)
      for (let c = 0; c < axes.length; c++) xyz[i * 3 + c] = points[i * axes.length + c]
    ctx.emit({
      runId,
      fromStep,
      losses: pending,
      steps: settings.steps,
      shown,
      points: base64(xyz),
    })
    fromStep = step + 1
    pending = []
    lastSent = performance.now()
  }
  const result = await trainWord2VecOn(vocab, opts, {
    shouldStop: () => ctx.signal.aborted,
    onStep: ({ step, loss }, vectors) => {
      pending.push(loss)
      if (step === 1 || step === settings.steps || performance.now() - lastSent > SNAPSHOT_MS)
        snapshot(vectors(), step)
    },
  })
  if (pending.length) snapshot(result.vectors, result.steps)
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)
  const saved = saveProjectorFiles(
    path.join(saveDir, `run-${stamp}-${runId}`),
    result.words,
    result.vectors,
    result.dims,
  )
  return {
    runId,
    words: result.words.join('\n'),
    dims: result.dims,
    vectors: base64(result.vectors),
    losses: result.losses,
    steps: result.steps,
    stopped: result.stopped,
    seconds: (performance.now() - started) / 1000,
    textWords: vocab.textWords,
    saved,
  }
}

/** vectors.tsv + metadata.tsv as TensorFlow's Embedding Projector reads them (Space does). */
function saveProjectorFiles(
  dir: string,
  words: string[],
  vectors: Float32Array,
  dims: number,
): { vectorsPath: string; metadataPath: string } {
  fs.mkdirSync(dir, { recursive: true })
  const rows = words.map((_, r) =>
    Array.from(vectors.subarray(r * dims, (r + 1) * dims), (x) => x.toFixed(5)).join('\t'),
  )
  const vectorsPath = path.join(dir, 'vectors.tsv')
  const metadataPath = path.join(dir, 'metadata.tsv')
  fs.writeFileSync(vectorsPath, rows.join('\n') + '\n')
  fs.writeFileSync(metadataPath, words.join('\n') + '\n')
  return { vectorsPath, metadataPath }
}

export function learnComputeHandlers({ withLoadedModel }: ModelHost) {
  // Weights are read once per model folder (safetensors are memory-mapped, GGUF dequantized
  // per tensor on first use).
  const folders = new Map<string, ModelFolder>()
  return {
    'word2vec.train': trainWord2Vec,
    'feedForward.analyze': ({
      model,
      request,
    }: LearnComputeMethods['feedForward.analyze']['input']) =>
      withLoadedModel(model, async (loaded) => {
        let folder = folders.get(model.path)
        if (!folder) folders.set(model.path, (folder = readModelFolder(model.path)))
        return analyzeFeedForward(loaded, folder, model.name, request)
      }),
  }
}

type Loaded = Parameters<Parameters<ModelHost['withLoadedModel']>[1]>[0]

/** The view's reading: shared by the compute child and the tests, which load in-process. */
export async function analyzeFeedForward(
  loaded: Loaded,
  folder: ModelFolder,
  modelName: string,
  req: FeedForwardRequest,
): Promise<FeedForwardResult> {
  const cfg = folder.cfg
  if (req.layer >= cfg.numLayers) {
    throw new ApiError(
      'bad_request',
      `Layer ${req.layer} does not exist: ${modelName} has layers 0–${cfg.numLayers - 1}.`,
    )
  }
  const ids = loaded.tokenizer.encode(req.text).slice(0, 256)
  if (ids.length === 0) throw new ApiError('bad_request', 'The text has no tokens.')
  const position = Math.min(req.position ?? ids.length - 1, ids.length - 1)
  const ins = await loaded.insides(ids)
  const h = cfg.hiddenSize
  const row = (m: Float32Array) => m.subarray(position * h, (position + 1) * h)
  const mid = ins.postAttention
  if (!mid) throw new Error(`${modelName}: this model's graph has no post-attention outputs.`)
  const layerNorms = mid.map((m, l) => {
    const before = row(m)
    const after = row(ins.hidden[l + 1])
    let s = 0
    for (let i = 0; i < h; i++) s += (after[i] - before[i]) ** 2
    return Math.sqrt(s)
  })
  const ffn = feedForwardLayer(cfg, folder.weights, req.layer)
  const head = loaded.headWeights().head
  const text = (id: number) => loaded.tokenizer.decode([id], { skipSpecialTokens: false })
  const neurons = topNeurons(ffn, head, row(mid[req.layer]), req.neurons, req.tokens)
  return {
    modelName,
    tokens: ids.map(text),
    layer: req.layer,
    position,
    numLayers: cfg.numLayers,
    intermediateSize: ffn.intermediateSize,
    neurons: neurons.map((n) => ({
      ...n,
      promoted: n.promoted.map((p) => ({ ...p, token: text(p.id) })),
    })),
    layerNorms,
  }
}
