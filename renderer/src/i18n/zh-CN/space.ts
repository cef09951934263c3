import type { Strings } from '../strings'
import type en from '../en/space'

const zh: Strings<typeof en> = {
  session: {
    label: '会话',
    noneChosen: '在下方输入即可开始对话，或在上方选择一个会话。',
  },
  legend: {
    label: '颜色图例',
    byRank: '颜色：词频排名',
    frequent: '高频',
    rare: '低频',
    byColumn: '颜色：{{column}}',
    more: '……另有 {{count}} 项',
    selected: '所选词',
    neighbours: '最近邻',
    analogyFrom: 'b → a',
    analogyTo: 'c → 答案',
  },
}
export default zh
