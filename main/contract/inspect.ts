import { z } from 'zod'
import { method } from './define'

// The Inside view: what the model saw (tokens), what it predicted at every position, how
// attention distributed, what each layer would have predicted (logit lens), and how much
// each layer changed the residual stream. Attention is fetched one layer at a time because
// all layers of a 256-token text are tens of megabytes.

const TokenInfo = z.object({ id: z.number().int(), text: z.string() })

const Prediction = TokenInfo.extend({ prob: z.number(), logit: z.number() })

const PositionPrediction = z.object({
  /** top-k next tokens after reading tokens 0..p, most likely first */
  candidates: z.array(Prediction),
  /** the token that actually came next, with its probability and rank; null at the end */
  next: TokenInfo.extend({ prob: z.number(), rank: z.number().int() }).nullable(),
})

const LensCell = TokenInfo.extend({ prob: z.number() })

const LayerContribution = z.object({
  layer: z.number().int(),
  /** mean over positions of ‖h_l − h_{l−1}‖ */
  total: z.number(),
  relative: z.number(),
  /** null when the model does not expose the residual between attention and feed-forward */
  attention: z.number().nullable(),
  feedForward: z.number().nullable(),
  perPosition: z.array(z.number()),
})

export const Inspection = z.object({
  /** names this analysis (model + token ids); used to fetch attention and to continue */
  key: z.string(),
  /** the registry's model id, and its name for display */
  modelId: z.number().int(),
  modelName: z.string(),
  messageId: z.number().int().nullable(),
  text: z.string(),
  tokens: z.array(TokenInfo),
  predictions: z.array(PositionPrediction),
  /** [layer 0..L][position]; row 0 = embeddings, row L = the model's output */
  lens: z.array(z.array(LensCell)),
  contributions: z.array(LayerContribution),
  numLayers: z.number().int(),
  numHeads: z.number().int(),
  seqLen: z.number().int(),
  /** [layer] → base64 bytes, heads × size × size, 255 = weight 1: every head at a glance */
  thumbnails: z.array(z.string()),
  thumbnailSize: z.number().int(),
  /** tokens in the whole text; above seqLen when only a window of it was analysed */
  totalTokens: z.number().int(),
  /** where the analysed window starts in the text's tokens (0: at its beginning) */
  windowStart: z.number().int().nonnegative().default(0),
  /** the most tokens one analysis of this model covers: its context, at most 512 */
  windowLimit: z.number().int().positive().optional(),
  /** true when it came from the per-message cache */
  cached: z.boolean(),
  computeMs: z.number(),
})
export type Inspection = z.infer<typeof Inspection>

export const inspectMethods = {
  'inspect.text': method(
    z
      .object({
        text: z.string().min(1).optional(),
        messageId: z.number().int().positive().optional(),
        modelId: z.number().int().positive().optional(),
        topK: z.number().int().min(1).max(20).default(5),
        /**
         * The first token of the window to analyse, for a text longer than the model's
         * context (moved back so the window is full when it is near the end).
         */
        start: z.number().int().min(0).optional(),
      })
      .refine((v) => (v.text === undefined) !== (v.messageId === undefined), {
        message: 'Give either text or messageId.',
      }),
    Inspection,
  ),
  'inspect.attention': method(
    z.object({ key: z.string(), layer: z.number().int().min(0) }),
    z.object({
      layer: z.number().int(),
      numHeads: z.number().int(),
      seqLen: z.number().int(),
      /** little-endian float32, heads × query × key, base64: JSON arrays would be 4× larger */
      weights: z.string(),
    }),
  ),
  'inspect.continue': method(
    z.object({
      modelId: z.number().int().positive().optional(),
      /** the tokens before the branch point; chosenTokenId replaces what came next */
      ids: z.array(z.number().int().min(0)).min(1),
      chosenTokenId: z.number().int().min(0),
      maxTokens: z.number().int().min(1).max(256).default(24),
    }),
    z.object({
      /** chosenText + the model's greedy continuation */
      text: z.string(),
      chosenText: z.string(),
      prefixText: z.string(),
      ids: z.array(z.number().int()),
    }),
  ),
}

export const inspectEvents = {}
