// native-models' LoadedModel as the generation loop's ChatModel.
import type { LoadedModel } from '../../../native-models/runtime/types'
import type { ChatModel } from './types'

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
