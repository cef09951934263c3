// What the inspector needs from a loaded model, written structurally so this folder does not
// care whether the model lives in this process (CLI, tests) or in the compute child.

/** Logits for several positions: one row per position, or one flat position × vocab array. */
export type LogitRows = ArrayLike<number>[] | Float32Array

/** The insides of one forward pass (native-models' Insides, as far as we read it). */
export interface InsidesData {
  ids: number[]
  /** [position] → vocab logits */
  logits: ArrayLike<number>[] | Float32Array
  /** [layer] → heads × query × key, row-major */
  attentions: ArrayLike<number>[]
  /** [0..L] → position × hidden; 0 = embeddings, L = last block's output before the final norm */
  hidden: ArrayLike<number>[]
  /** [layer] → residual after attention, before the feed-forward half (optional) */
  postAttention?: ArrayLike<number>[]
  numHeads: number
  hiddenSize: number
}

export interface InspectableModel {
  insides(ids: number[]): Promise<InsidesData> | InsidesData
  /** The model's own final norm + LM head applied to a position × hidden residual. */
  finalNormAndHead(hidden: ArrayLike<number>, positions: number): Promise<LogitRows> | LogitRows
  /**
   * Fast path for the logit lens: top-1 token and probability per position, without
   * materialising position × vocab logits (see lensHead.ts). Falls back to finalNormAndHead.
   */
  lensTop1?(
    hidden: ArrayLike<number>,
    positions: number,
  ): Promise<{ ids: number[]; probs: number[] }>
  /** Text of one token as the tokenizer would print it alone. */
  tokenText(id: number): string
  vocabSize: number
}

/** Splits a flat position × vocab array into per-position views (no copy). */
export function logitRows(rows: LogitRows, positions: number): ArrayLike<number>[] {
  if (Array.isArray(rows)) return rows
  const flat = rows as Float32Array
  const vocab = flat.length / positions
  return Array.from({ length: positions }, (_, p) => flat.subarray(p * vocab, (p + 1) * vocab))
}
