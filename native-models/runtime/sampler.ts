// Next-token sampling: repetition penalty (CTRL, Keskar et al. 2019), temperature, top-k,
// top-p (nucleus, Holtzman et al. 2019), with a seeded generator for reproducible runs.

export interface SamplingOptions {
  temperature?: number
  topK?: number
  topP?: number
  repetitionPenalty?: number
  greedy?: boolean
  seed?: number
}

export function argmax(logits: Float32Array): number {
  let best = 0
  for (let i = 1; i < logits.length; i++) if (logits[i] > logits[best]) best = i
  return best
}

export class Sampler {
  private state: number
  constructor(private readonly opts: SamplingOptions = {}) {
    this.state = (opts.seed ?? Math.floor(Math.random() * 2 ** 31)) >>> 0
  }

  private random(): number {
    // mulberry32
    this.state = (this.state + 0x6d2b79f5) >>> 0
    let t = this.state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }

  /** Picks the next token from `logits` (not modified), given the tokens so far. */
  sample(logits: Float32Array, previous: number[] = []): number {
    const o = this.opts
    const x = Float32Array.from(logits)
    const penalty = o.repetitionPenalty ?? 1
    if (penalty !== 1) {
      for (const id of new Set(previous)) x[id] = x[id] > 0 ? x[id] / penalty : x[id] * penalty
    }
    const temperature = o.temperature ?? 1
    if (o.greedy || temperature <= 0) return argmax(x)
    let order = Array.from(x.keys()).sort((a, b) => x[b] - x[a])
    if (o.topK && o.topK > 0) order = order.slice(0, o.topK)
    const max = x[order[0]]
    let probs = order.map((i) => Math.exp((x[i] - max) / temperature))
    let sum = probs.reduce((a, b) => a + b, 0)
    if (o.topP !== undefined && o.topP < 1) {
      let acc = 0
      let keep = 0
      while (keep < probs.length && acc < o.topP * sum) acc += probs[keep++]
      order = order.slice(0, Math.max(1, keep))
      probs = probs.slice(0, Math.max(1, keep))
      sum = probs.reduce((a, b) => a + b, 0)
    }
    let r = this.random() * sum
    for (let i = 0; i < probs.length; i++) {
      r -= probs[i]
      if (r <= 0) return order[i]
    }
    return order[order.length - 1]
  }
}
