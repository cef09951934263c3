import type { Strings } from '../strings'
import type en from '../en/models'

const zh: Strings<typeof en> = {
  templateProblem: '其对话模板无法使用，因此以续写模式运行（接着你的文字往下写）：{{problem}}',
  broken: {
    badge: '已损坏',
    hint: '此条目无法使用：{{problem}}',
  },
}
export default zh
