// native-models' LoadedModel as the generation loop's ChatModel.
import type { LoadedModel } from '../../../native-models/runtime/types'
import { Generator } from './generator'
import { defaultSamplingParams } from './sampling'
import type { ChatModel, GenerationParams } from './types'

export function toChatModel(id: string, loaded: LoadedModel): ChatModel {
  const { info, tokenizer } = loaded
  return {
    id,
    contextLength: info.contextLength,
    eosTokenIds: info.eosTokenIds,
    hasChatTemplate: info.hasChatTemplate,
    encode: (text, addSpecialTokens) => tokenizer.encode(text, { addSpecialTokens }),
    // Special tokens (end of turn and the like) are markup, not text a person reads.
    decode: (ids) => tokenizer.decode(ids, { skipSpecialTokens: true }),
    renderChat: (turns, opts) => loaded.renderChat(turns, opts),
    newSession: () => loaded.newSession(),
    dispose: () => loaded.dispose(),
  }
}

/** Greedy decoding, no penalty: the same prompt gives the same tokens on every path. */
export const greedyParams = (maxTokens: number): GenerationParams => ({
  ...defaultSamplingParams,
  greedy: true,
  repetitionPenalty: 1,
  maxTokens,
  stop: [],
})

/** Continues prompt ids greedily through the one generation loop; the ids it generated. */
export type ContinueIds = (ids: number[], maxTokens: number) => Promise<number[]>

/** A greedy continuation on a loaded model (the inspector's branch by token). Its KV cache
 *  lives for one call; the model stays loaded. */
export function greedyContinuation(name: string, loaded: LoadedModel): ContinueIds {
  return async (ids, maxTokens) => {
    // Not toChatModel's dispose: the model belongs to whoever loaded it.
    const generator = new Generator({ ...toChatModel(name, loaded), dispose: async () => {} })
    const out: number[] = []
    try {
      await generator.generate(
        {
          cacheKey: 'continue',
          mode: 'completion',
          systemPrompt: '',
          turns: [],
          promptIds: ids,
          params: greedyParams(maxTokens),
        },
        (token) => out.push(token.tokenId),
      )
    } finally {
      await generator.dispose()
    }
    return out
  }
}
