import type { Strings } from '../strings'
import type en from '../en/chat'

const zh: Strings<typeof en> = {
  limits: {
    maxTokens:
      '最大 token 数：设置为 {{asked}}，模型的上下文（{{ctx}} 个 token）只留出 {{got}} 个——回答最多占上下文的一半，还要减去提示所需。',
    promptText:
      '提示已被截短以放入上下文（{{ctx}} 个 token）：保留了 {{total}} 个 token 中的最后 {{kept}} 个；文本的开头被省去。',
    promptTurn:
      '提示已被截短以放入上下文（{{ctx}} 个 token）：保留了 {{total}} 个 token 中的最后 {{kept}} 个；最早的一轮对话被省去。',
    promptTurns:
      '提示已被截短以放入上下文（{{ctx}} 个 token）：保留了 {{total}} 个 token 中的最后 {{kept}} 个；最早的 {{turns}} 轮对话被省去。',
  },
  finish: {
    eos: '结束：模型结束了文本',
    stop: '结束：遇到停止字符串',
    length: '结束：达到最大 token 数',
    lengthOf: '结束：达到最大 token 数（{{max}}）',
    cancelled: '结束：已停止',
    error: '结束：出错',
  },
  templateFallback: '{{model}} 的对话模板无法使用，因此改为续写你的文字（续写模式）：{{problem}}',
}
export default zh
