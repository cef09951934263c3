import { z } from 'zod'
import { method } from './define'

/*
 * The word-vector space. Point clouds cross the contract as base64 of a little-endian
 * Float32Array (n × 3, row-major): 341k points are 4 MB raw, 5.5 MB as base64, one message,
 * and the same JSON framing works over IPC and the WebSocket (no second binary channel to
 * secure). Words travel once per source, joined by "\n" (no word or label contains one:
 * vectors.tsv/metadata.tsv are line-based and GloVe tokens are whitespace-free).
 */

export const SpaceSource = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('glove') }),
  /** The token embedding matrix of a model; the loaded model when modelDir is omitted. */
  z.object({ kind: z.literal('model'), modelDir: z.string().min(1).optional() }),
  z.object({
    kind: z.literal('tsv'),
    vectorsPath: z.string().min(1),
    metadataPath: z.string().min(1).optional(),
    maxRows: z.number().int().positive().max(5_000_000).optional(),
  }),
])
export type SpaceSource = z.infer<typeof SpaceSource>

export const SpaceAxis = z.object({
  from: z.array(z.string().min(1)).min(1),
  to: z.array(z.string().min(1)).min(1),
})
export type SpaceAxis = z.infer<typeof SpaceAxis>

export const SpaceProjection = z.object({
  method: z.enum(['pca', 'umap', 'custom']),
  dimensions: z.union([z.literal(2), z.literal(3)]).default(3),
  /** Only the first N points (the N most frequent words for GloVe); all when omitted. */
  topN: z.number().int().positive().optional(),
  /** Custom projection: x, y and optionally z axes, each from → to word lists. */
  axes: z.array(SpaceAxis).max(3).optional(),
  /** UMAP only: neighbours per point (umap-js default 15). */
  nNeighbors: z.number().int().min(2).max(200).optional(),
})
export type SpaceProjection = z.infer<typeof SpaceProjection>

export const SpaceState = z.object({
  source: SpaceSource,
  projection: SpaceProjection,
  selection: z.array(z.string()).max(1000),
  camera: z
    .object({
      position: z.tuple([z.number(), z.number(), z.number()]),
      target: z.tuple([z.number(), z.number(), z.number()]),
    })
    .nullable(),
  colorBy: z.string().nullable().default(null),
})
export type SpaceState = z.infer<typeof SpaceState>

export const ScoredWord = z.object({ word: z.string(), index: z.number().int(), score: z.number() })
export type ScoredWord = z.infer<typeof ScoredWord>

const SpaceId = z.string().min(1)
const K = z.number().int().min(1).max(1000).default(10)

export const ContextPath = z.object({
  sentence: z.string(),
  /** Which token of the sentence is the word (the first match). */
  tokenIndex: z.number().int(),
  token: z.string(),
  /** One [x, y, z] per layer, 0 = embeddings. */
  points: z.array(z.tuple([z.number(), z.number(), z.number()])),
  /** Nearest vocabulary tokens of this sentence's word at each layer (cosine). */
  nearest: z.array(z.array(z.object({ word: z.string(), score: z.number() }))),
})
export type ContextPath = z.infer<typeof ContextPath>

export const spaceMethods = {
  /** Loads a source (building the GloVe cache the first time, with space.progress events). */
  'space.open': method(
    z.object({ source: SpaceSource }),
    z.object({
      spaceId: SpaceId,
      label: z.string(),
      count: z.number().int(),
      dims: z.number().int(),
      /** All words/labels in point order, joined by "\n". */
      words: z.string(),
      /** Metadata columns that can colour the points (TSV imports). */
      columns: z.array(z.string()),
      /** Set when the load was bounded (e.g. a capped TSV). */
      note: z.string().nullable(),
    }),
  ),
  'space.project': method(
    z.object({ spaceId: SpaceId, projection: SpaceProjection }),
    z.object({
      count: z.number().int(),
      /** base64 of Float32Array(count × 3); z = 0 in 2D. */
      positions: z.string(),
      /** Share of the total variance along each shown PCA axis. */
      explainedVariance: z.array(z.number()).nullable(),
      note: z.string().nullable(),
    }),
  ),
  /** One metadata column as category codes, for colouring. */
  'space.column': method(
    z.object({ spaceId: SpaceId, column: z.string() }),
    z.object({ categories: z.array(z.string()), codes: z.array(z.number().int()) }),
  ),
  'space.neighbours': method(
    z.object({ spaceId: SpaceId, word: z.string().min(1), k: K }),
    z.object({ index: z.number().int(), results: z.array(ScoredWord) }),
  ),
  'space.analogy': method(
    z.object({
      spaceId: SpaceId,
      a: z.string().min(1),
      b: z.string().min(1),
      c: z.string().min(1),
      k: K,
    }),
    z.object({ indices: z.array(z.number().int()).length(3), results: z.array(ScoredWord) }),
  ),
  /** Context view: the word's hidden state at every layer in each sentence, projected together. */
  'space.context': method(
    z.object({
      word: z.string().min(1),
      sentences: z.array(z.string().min(1)).min(1).max(20),
      modelDir: z.string().min(1).optional(),
      k: z.number().int().min(1).max(20).default(5),
    }),
    z.object({
      layers: z.number().int(),
      explainedVariance: z.array(z.number()),
      paths: z.array(ContextPath),
    }),
  ),
  /** Stops long space work in progress (UMAP); its space.project call fails with 'conflict'. */
  'space.cancel': method(z.object({}), z.object({ cancelled: z.number().int() })),
  'space.saveState': method(
    z.object({ sessionId: z.number().int().positive(), state: SpaceState }),
    z.object({ ok: z.literal(true) }),
  ),
  'space.loadState': method(
    z.object({ sessionId: z.number().int().positive() }),
    z.object({ state: SpaceState.nullable() }),
  ),
}

export const spaceEvents = {
  /** Long space work: the GloVe cache build, a TSV import, UMAP epochs. */
  'space.progress': z.object({
    stage: z.string(),
    done: z.number(),
    total: z.number(),
  }),
}
