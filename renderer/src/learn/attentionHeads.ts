// Finding the two head patterns the attention chapter points out: heads that read the token
// just before (previous-token heads) and heads that park on the first token (an "attention
// sink", Xiao et al., "Efficient Streaming Language Models with Attention Sinks", 2023).

export interface HeadScore {
  layer: number
  head: number
  /** mean attention weight, over the queries that can tell the two patterns apart */
  score: number
}

export interface HeadPatterns {
  previous: HeadScore
  first: HeadScore
}

/**
 * Scores every head of every layer (each layer heads × query × key, row-major). Queries 0
 * and 1 are skipped: there the first token is also the previous one.
 */
export function findHeadPatterns(layers: Float32Array[], numHeads: number, seqLen: number) {
  if (seqLen < 3 || layers.length === 0) return null
  let previous: HeadScore = { layer: 0, head: 0, score: -1 }
  let first: HeadScore = { layer: 0, head: 0, score: -1 }
  const size = seqLen * seqLen
  layers.forEach((weights, layer) => {
    for (let head = 0; head < numHeads; head++) {
      let prev = 0
      let sink = 0
      for (let q = 2; q < seqLen; q++) {
        const row = head * size + q * seqLen
        prev += weights[row + q - 1]
        sink += weights[row]
      }
      const n = seqLen - 2
      if (prev / n > previous.score) previous = { layer, head, score: prev / n }
      if (sink / n > first.score) first = { layer, head, score: sink / n }
    }
  })
  return { previous, first } satisfies HeadPatterns
}
