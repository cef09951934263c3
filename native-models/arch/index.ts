import { GraphContext } from './common'
import type { GraphOptions } from './graphOptions'
import type { ArchConfig } from './config'
import { buildGpt2Graph } from './gpt2'
import { buildFusedGpt2Graph } from './gpt2Fused'
import { buildLlamaGraph } from './llama'
import { buildFusedLlamaGraph } from './llamaFused'
import type { WeightSource } from './weights'

export { GraphContext, INT4_BLOCK_SIZE } from './common'
export { IO } from './graphNames'
export { type GraphOptions, type GraphQuantization, type KvCacheType } from './graphOptions'
export {
  parseConfig,
  parameterCount,
  ropeInvFreq,
  SUPPORTED_MODEL_TYPES,
  type ArchConfig,
} from './config'
export { ModelFormatError, MemoryWeights, type WeightSource, type TensorEntry } from './weights'
export { gpt2Prefix } from './gpt2'

/** The inference graph (with KV cache; with insides outputs when asked) for a config + weights. */
export function buildInferenceGraph(
  cfg: ArchConfig,
  weights: WeightSource,
  opts: GraphOptions = {},
): GraphContext {
  const ctx = new GraphContext(cfg, weights, opts)
  // The fused graphs are the plain decode variant; insides and training stay unfused.
  if (cfg.family === 'gpt2') {
    if (ctx.fusedOps) buildFusedGpt2Graph(ctx)
    else buildGpt2Graph(ctx)
  } else if (ctx.fusedOps) buildFusedLlamaGraph(ctx)
  else buildLlamaGraph(ctx)
  return ctx
}
