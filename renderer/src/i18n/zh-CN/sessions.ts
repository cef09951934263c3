import type { Strings } from '../strings'
import type en from '../en/sessions'

const zh: Strings<typeof en> = {
  newChat: '+ 新对话',
  untitled: '新对话',
  search: '搜索对话',
  searchLabel: '按标题和内容搜索对话',
  noMatch: '没有与搜索匹配的对话。',
  empty: '还没有对话。',
  delete: '删除',
  keep: '保留',
  rename: '重命名',
  renameLabel: '重命名对话',
  deleteLabel: '删除对话',
}
export default zh
