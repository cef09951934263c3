import type { Strings } from '../strings'
import type en from '../en/inside'

const zh: Strings<typeof en> = {
  working: '处理中…',
  run: '查看内部',
  meta: {
    tokens_one: '{{count, number}} 个词元',
    tokens_other: '{{count, number}} 个词元',
    truncated: '（共 {{total, number}} 个，显示前 {{shown, number}} 个）',
    shape: '{{layers}} 层 × {{heads}} 个注意力头',
    cached: '来自缓存',
    ms: '{{ms, number(maximumFractionDigits: 0)}} 毫秒',
    keys: '←/→ 逐个位置移动',
  },
  branch: '从位置 {{position}} 接着生成',
  attention: '注意力',
  layer: '层',
  head: '注意力头',
  query: '查询：“{{token}}”（位置 {{position}}）',
  loadingAttention: '正在加载第 {{layer}} 层的注意力…',
  lensTitle: 'Logit 透镜：每一层会预测什么',
  contributionTitle: '每一层对残差流的改变有多大',
  picker: { chat: '对话', role: { user: '你', assistant: '模型', system: '系统' } },
  heatmap: {
    masked: '未来的词元（已遮蔽）',
    readout: '“{{query}}” → “{{key}}”：{{value}}',
    hint: '行：读取信息的词元。列：它从中读取的词元。悬停可查看数值。',
  },
  headView: {
    readout: '“{{query}}”以权重 {{weight}} 读取“{{key}}”',
    hint: '点击左侧的词元选择查询；悬停在右侧的词元上查看权重。',
  },
  headGrid: { title: '注意力头 {{head}}', short: '头 {{head}}' },
  modelView: { caption: '所有注意力头：纵向为层，横向为头。点击一个即可打开。' },
  lens: {
    layer: '层',
    position: '位置 {{position}}',
    embed: '嵌入',
    out: '{{layer}}（输出）',
    cell: '第 {{layer}} 层，位置 {{position}}：“{{token}}” id {{id}}，概率 {{p}}',
  },
  bars: {
    title: '读到位置 {{position}} 后，模型预计下一个词元是',
    candidate: 'id {{id}} · logit {{logit}} · 概率 {{p}} — 点击从这里接着生成',
    actual: '◀ 实际',
    actualOutside: '实际：{{token}}（排名第 {{rank}}）',
    last: '最后一个词元：这是接下来会生成的内容。',
  },
  tokenTitle: '位置 {{position}} · id {{id}}',
  contrib: {
    attention: '注意力',
    feedForward: '前馈层',
    meanOverText: '（全文平均）',
    meanDelta: '全文平均 ‖Δh‖',
    here: '所选位置',
    row: '第 {{layer}} 层：平均 ‖Δh‖ {{total}}（占 ‖h‖ 的 {{relative}}），此处 {{here}}',
    split: '，注意力 {{attention}}，前馈层 {{feedForward}}',
  },
}
export default zh
