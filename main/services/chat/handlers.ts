import type { chatMethods } from '../../contract/chat'
import type { Handlers } from '../../contract/router'
import type { ChatService } from './chatService'

type ChatHandlers = Pick<Handlers, keyof typeof chatMethods>

export function createChatHandlers({ chat }: { chat: ChatService }): ChatHandlers {
  return {
    'chat.thread': ({ sessionId }) => chat.thread(sessionId),
    'chat.send': ({ sessionId, text, sampling }) => chat.send(sessionId, text, sampling),
    'chat.stop': ({ sessionId }) => ({ stopped: chat.stop(sessionId) }),
    'chat.regenerate': ({ sessionId, messageId, sampling }) =>
      chat.regenerate(sessionId, messageId, sampling),
    'chat.edit': ({ sessionId, messageId, text, sampling }) =>
      chat.edit(sessionId, messageId, text, sampling),
    'chat.selectBranch': ({ sessionId, messageId }) => chat.selectBranch(sessionId, messageId),
    'chat.getSettings': ({ sessionId }) => chat.settings(sessionId),
    'chat.updateSettings': ({ sessionId, patch }) => chat.updateSettings(sessionId, patch),
    'chat.tokens': ({ messageId }) => ({ tokens: chat.chatStore.tokens(messageId) }),
  }
}
