// The cost of weight-only quantization, measured at load on a fixed probe text.
import { IO, type ArchConfig, type KvCacheType } from '../arch'
import type { OrtSession } from '../onnx/session'
import { runFullSequence } from './kvCache'
import type { QuantizationReport, TextTokenizer } from './types'

export const PROBE_TEXT =
  'The quick brown fox jumps over the lazy dog. In the beginning of the year, the people of the town met in the hall to talk about the harvest, the weather and the roads that had to be mended before the winter came.'

async function fullLogits(
  cfg: ArchConfig,
  session: OrtSession,
  fused: KvCacheType | false,
  ids: number[],
): Promise<Float32Array> {
  const out = await runFullSequence(session, cfg, fused, ids)
  return out[IO.logits].data as Float32Array
}

/** exp(mean negative log-likelihood of each next token). */
export function perplexity(logits: Float32Array, ids: number[], vocab: number): number {
  let nll = 0
  for (let t = 0; t + 1 < ids.length; t++) {
    const row = logits.subarray(t * vocab, (t + 1) * vocab)
    let max = -Infinity
    for (let i = 0; i < vocab; i++) max = Math.max(max, row[i])
    let sum = 0
    for (let i = 0; i < vocab; i++) sum += Math.exp(row[i] - max)
    nll += max + Math.log(sum) - row[ids[t + 1]]
  }
  return Math.exp(nll / (ids.length - 1))
}

export async function quantizationReport(
  cfg: ArchConfig,
  tokenizer: TextTokenizer,
  f32: OrtSession,
  quantized: OrtSession,
  fused: boolean,
  /** The quantized graph's cache type; one run from an empty cache reads none of it. */
  quantizedCache: KvCacheType = 'float32',
): Promise<QuantizationReport> {
  const ids = tokenizer.encode(PROBE_TEXT).slice(0, Math.min(64, cfg.contextLength))
  const a = await fullLogits(cfg, f32, fused && 'float32', ids)
  const b = await fullLogits(cfg, quantized, fused && quantizedCache, ids)
  let maxLogitDiff = 0
  for (let i = 0; i < a.length; i++) maxLogitDiff = Math.max(maxLogitDiff, Math.abs(a[i] - b[i]))
  return {
    maxLogitDiff,
    perplexityF32: perplexity(a, ids, cfg.vocabSize),
    perplexityQuantized: perplexity(b, ids, cfg.vocabSize),
    probeTokens: ids.length,
  }
}
