// A session's chat settings: what the person changed, over defaults from the model's
// generation_config.json, over Glassbox's own defaults.
import type { ChatSettings, SamplingSettings } from '../../contract/chat'
import type { ModelEntry } from '../../contract/models'
import { defaultSamplingParams } from '../engine/sampling'

export const baseSampling: SamplingSettings = {
  ...defaultSamplingParams,
  maxTokens: 512,
  stop: [],
  ignoreEos: false,
}

/** HF generation_config.json names → ours; only values of the right type are taken. */
export function samplingFromGenerationConfig(
  config: Record<string, unknown> | null,
): Partial<SamplingSettings> {
  if (!config) return {}
  const out: Partial<SamplingSettings> = {}
  const num = (k: string) => (typeof config[k] === 'number' ? (config[k] as number) : undefined)
  if (num('temperature') !== undefined) out.temperature = num('temperature')
  if (num('top_k') !== undefined) out.topK = num('top_k')
  if (num('top_p') !== undefined) out.topP = num('top_p')
  if (num('min_p') !== undefined) out.minP = num('min_p')
  if (num('repetition_penalty') !== undefined) out.repetitionPenalty = num('repetition_penalty')
  if (num('max_new_tokens') !== undefined) out.maxTokens = num('max_new_tokens')
  // HF: do_sample false means greedy search.
  if (config.do_sample === false) out.greedy = true
  return out
}

export function resolveSettings(
  patch: Record<string, unknown>,
  model: ModelEntry | null,
  generationConfig: Record<string, unknown> | null,
): ChatSettings {
  const sampling = {
    ...baseSampling,
    ...samplingFromGenerationConfig(generationConfig),
    ...((patch.sampling as Partial<SamplingSettings> | undefined) ?? {}),
  }
  return {
    systemPrompt: typeof patch.systemPrompt === 'string' ? patch.systemPrompt : '',
    // A base model without a chat template continues text instead of answering turns.
    mode:
      patch.mode === 'chat' || patch.mode === 'completion'
        ? patch.mode
        : model && !model.hasChatTemplate
          ? 'completion'
          : 'chat',
    sampling,
    // A seed the person typed is kept; otherwise each answer gets a fresh one.
    randomSeed:
      typeof patch.randomSeed === 'boolean'
        ? patch.randomSeed
        : typeof (patch.sampling as Partial<SamplingSettings> | undefined)?.seed !== 'number',
    // Qwen3's own default: it thinks unless told not to.
    thinking: typeof patch.thinking === 'boolean' ? patch.thinking : true,
    modelId: typeof patch.modelId === 'number' ? patch.modelId : null,
  }
}
