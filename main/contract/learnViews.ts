import { z } from 'zod'
import { method } from './define'

/*
 * Two of the Learn tour's own views: word2vec trained in the app (the compute child runs
 * it; the loss and a 3D projection of the vectors stream on word2vec.progress), and what a
 * feed-forward layer adds at one position. Vectors cross as base64 of little-endian
 * Float32Arrays and words as one "\n"-joined string, as in space.ts.
 */

export const Word2VecSettings = z.object({
  /** 'shipped': Genesis (King James Version, public domain); 'text': the learner's text. */
  corpus: z.enum(['shipped', 'text']).default('shipped'),
  text: z.string().max(8_000_000).optional(),
  window: z.number().int().min(1).max(10).default(4),
  dims: z.number().int().min(2).max(200).default(32),
  negatives: z.number().int().min(1).max(20).default(5),
  steps: z.number().int().min(1).max(50_000).default(1500),
  /** Pairs per step. */
  batch: z.number().int().min(8).max(4096).default(512),
  lr: z.number().positive().max(1).default(0.01),
  seed: z.number().int().min(0).default(1),
  maxVocab: z.number().int().min(2).max(20_000).default(2000),
  /** Words to follow in the 3D view; default: 100 frequent words past the 20 commonest. */
  show: z.array(z.string().min(1)).max(300).optional(),
})
export type Word2VecSettings = z.infer<typeof Word2VecSettings>

export const Word2VecResult = z.object({
  runId: z.number().int(),
  /** The vocabulary, most frequent first, "\n"-joined. */
  words: z.string(),
  dims: z.number().int(),
  /** words × dims, base64 Float32 LE. */
  vectors: z.string(),
  losses: z.array(z.number()),
  steps: z.number().int(),
  stopped: z.boolean(),
  seconds: z.number(),
  /** Words in the text (before the vocabulary cut). */
  textWords: z.number().int(),
  /** The vectors as Embedding Projector files in the data folder: a source for Space. */
  saved: z.object({ vectorsPath: z.string(), metadataPath: z.string() }),
})
export type Word2VecResult = z.infer<typeof Word2VecResult>

export const Word2VecProgress = z.object({
  runId: z.number().int(),
  /** Losses of steps fromStep, fromStep + 1, … since the last event. */
  fromStep: z.number().int(),
  losses: z.array(z.number()),
  steps: z.number().int(),
  /** The followed words, "\n"-joined, and their vectors projected to 3D (base64, n × 3). */
  shown: z.string(),
  points: z.string(),
})
export type Word2VecProgress = z.infer<typeof Word2VecProgress>

export const FeedForwardRequest = z.object({
  /** A registered model; the model selected for chat when omitted. */
  modelId: z.number().int().positive().optional(),
  text: z.string().min(1).max(4000),
  layer: z.number().int().min(0),
  /** Token position; the last one when omitted. */
  position: z.number().int().min(0).optional(),
  neurons: z.number().int().min(1).max(64).default(8),
  tokens: z.number().int().min(1).max(32).default(8),
})
export type FeedForwardRequest = z.infer<typeof FeedForwardRequest>

export const FeedForwardNeuron = z.object({
  index: z.number().int(),
  /** The neuron's value after the activation (times the up projection in gated MLPs). */
  activation: z.number(),
  /** activation × |output vector|: how far this neuron moves the residual stream. */
  contribution: z.number(),
  /**
   * Top tokens of the unembedding applied to activation × output vector (Geva et al. 2022):
   * score is that neuron's direct push on each token's logit, before the final norm.
   */
  promoted: z.array(z.object({ id: z.number().int(), token: z.string(), score: z.number() })),
})
export type FeedForwardNeuron = z.infer<typeof FeedForwardNeuron>

export const FeedForwardResult = z.object({
  modelName: z.string(),
  tokens: z.array(z.string()),
  layer: z.number().int(),
  position: z.number().int(),
  numLayers: z.number().int(),
  intermediateSize: z.number().int(),
  neurons: z.array(FeedForwardNeuron),
  /** |feed-forward output| at this position, per layer: the per-layer contribution bars. */
  layerNorms: z.array(z.number()),
})
export type FeedForwardResult = z.infer<typeof FeedForwardResult>

export const learnViewsMethods = {
  /** Trains word2vec in the compute child; answers when done or stopped. One run at a time. */
  'word2vec.train': method(z.object({ settings: Word2VecSettings }), Word2VecResult),
  /** Stops the running word2vec.train, which then answers with what it learned so far. */
  'word2vec.stop': method(z.object({}), z.object({ stopped: z.boolean() })),
  /** The feed-forward block of one layer at one position: top neurons, promoted tokens. */
  'feedForward.analyze': method(FeedForwardRequest, FeedForwardResult),
}

export const learnViewsEvents = {
  'word2vec.progress': Word2VecProgress,
}
