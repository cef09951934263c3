import { layerContributions, type LayerContribution } from './contributions'
import { probabilityOf, topK } from './probabilities'
import { logitRows, type InspectableModel } from './types'

export interface TokenInfo {
  id: number
  text: string
}

export interface Prediction extends TokenInfo {
  prob: number
  logit: number
}

/** What the model predicted after reading tokens 0..p, and what actually came next. */
export interface PositionPrediction {
  candidates: Prediction[]
  next: (TokenInfo & { prob: number; rank: number }) | null
}

/** The logit lens: the token a layer's residual would decode to, through the final norm + head. */
export interface LensCell extends TokenInfo {
  prob: number
}

export interface InsideAnalysis {
  tokens: TokenInfo[]
  predictions: PositionPrediction[]
  /** [0..L][position]: row 0 is the embeddings, row L the model's own output. */
  lens: LensCell[][]
  contributions: LayerContribution[]
  numLayers: number
  numHeads: number
  seqLen: number
  /** [layer] → heads × query × key; kept as numbers, not in the summary, because they are big. */
  attentions: Float32Array[]
  /** [layer] → base64 of heads × size × size bytes: every head at a glance (model view) */
  thumbnails: string[]
  thumbnailSize: number
}

/** Side of the attention thumbnails: enough to see a head's pattern, 1 KB per head. */
export const THUMBNAIL_SIZE = 32

/**
 * Shrinks each head's query × key matrix to size × size by taking the largest weight in each
 * block (max, not mean, so one sharp attention target stays visible), scaled to 0..255.
 */
export function attentionThumbnails(
  layer: Float32Array,
  heads: number,
  seqLen: number,
  size: number,
): Uint8Array {
  const out = new Uint8Array(heads * size * size)
  for (let h = 0; h < heads; h++) {
    const base = h * seqLen * seqLen
    for (let q = 0; q < seqLen; q++) {
      const ty = Math.floor((q * size) / seqLen)
      for (let k = 0; k <= q; k++) {
        const tx = Math.floor((k * size) / seqLen)
        const v = Math.round(255 * Math.min(1, layer[base + q * seqLen + k]))
        const at = (h * size + ty) * size + tx
        if (v > out[at]) out[at] = v
      }
    }
  }
  return out
}

export interface AnalyzeOptions {
  topK?: number
}

const toF32 = (a: ArrayLike<number>) => (a instanceof Float32Array ? a : Float32Array.from(a))

export async function analyzeInsides(
  model: InspectableModel,
  ids: number[],
  options: AnalyzeOptions = {},
): Promise<InsideAnalysis> {
  if (ids.length === 0) throw new Error('Nothing to inspect: the text has no tokens.')
  const k = options.topK ?? 5
  const ins = await model.insides(ids)
  const seqLen = ids.length
  const text = (id: number) => model.tokenText(id)
  const tokens = ids.map((id) => ({ id, text: text(id) }))

  const logits = logitRows(ins.logits, seqLen)
  const predictions: PositionPrediction[] = logits.map((row, p) => {
    const candidates = topK(row, k).map((c) => ({ ...c, text: text(c.id) }))
    if (p + 1 >= seqLen) return { candidates, next: null }
    const nextId = ids[p + 1]
    return { candidates, next: { id: nextId, text: text(nextId), ...probabilityOf(row, nextId) } }
  })

  const lens: LensCell[][] = []
  for (let l = 0; l < ins.hidden.length; l++) {
    // Every row goes through the same final norm + head, the last one included, so the
    // lens's last row is the model's own prediction (tests hold it to the logits).
    if (model.lensTop1) {
      const { ids: best, probs } = await model.lensTop1(ins.hidden[l], seqLen)
      lens.push(best.map((id, p) => ({ id, text: text(id), prob: probs[p] })))
      continue
    }
    const rows = logitRows(await model.finalNormAndHead(ins.hidden[l], seqLen), seqLen)
    lens.push(
      rows.map((row) => {
        const [best] = topK(row, 1)
        return { id: best.id, text: text(best.id), prob: best.prob }
      }),
    )
  }

  const attentions = ins.attentions.map(toF32)
  const thumbSize = Math.min(THUMBNAIL_SIZE, seqLen)
  return {
    tokens,
    predictions,
    lens,
    contributions: layerContributions(ins.hidden, seqLen, ins.hiddenSize, ins.postAttention),
    numLayers: ins.attentions.length,
    numHeads: ins.numHeads,
    seqLen,
    attentions,
    thumbnails: attentions.map((a) =>
      Buffer.from(attentionThumbnails(a, ins.numHeads, seqLen, thumbSize)).toString('base64'),
    ),
    thumbnailSize: thumbSize,
  }
}

/** attentions[layer] as nested [head][query][key] arrays, for JSON output (CLI). */
export function attentionAsNested(flat: Float32Array, heads: number, seqLen: number): number[][][] {
  const out: number[][][] = []
  for (let h = 0; h < heads; h++) {
    const head: number[][] = []
    for (let q = 0; q < seqLen; q++) {
      const at = (h * seqLen + q) * seqLen
      head.push(Array.from(flat.subarray(at, at + seqLen)))
    }
    out.push(head)
  }
  return out
}
