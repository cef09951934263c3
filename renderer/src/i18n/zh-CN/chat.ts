import type { Strings } from '../strings'
import type en from '../en/chat'

const zh: Strings<typeof en> = {
  templateFallback: '{{model}} 的对话模板无法使用，因此改为续写你的文字（续写模式）：{{problem}}',
}
export default zh
