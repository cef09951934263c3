import type { Strings } from '../strings'
import type en from '../en/inside'

const zh: Strings<typeof en> = {
  window: {
    showing:
      '第 {{from}}–{{to}} 个 token，共 {{total}} 个：模型一次最多读取 {{size}} 个 token，所以较长的文本要分窗口查看（窗口开头的 token 看不到它之前的内容）。',
    start: '窗口起始 token',
    earlier: '向前',
    later: '向后',
    analyse: '查看此窗口内部',
  },
}
export default zh
