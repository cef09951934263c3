import type { Strings } from '../strings'
import type en from '../en/common'

const zh: Strings<typeof en> = {
  brand: 'Glassbox',
  tabs: {
    chat: '对话',
    models: '模型',
    space: '向量空间',
    inside: '模型内部',
    train: '训练',
    hardware: '硬件',
    api: 'API',
    learn: '学习',
  },
  connection: {
    connecting: '正在连接 Glassbox…',
    reconnecting: '与 Glassbox 的连接已断开，正在重新连接…',
    unauthorized: '此页面没有有效的令牌。请打开 Glassbox 启动时打印的完整网址。',
  },
  language: {
    label: '语言',
  },
  theme: {
    label: '主题',
    system: '主题：跟随系统',
    light: '主题：浅色',
    dark: '主题：深色',
  },
  copy: {
    code: '复制',
    copied: '已复制',
  },
  dismiss: '关闭',
  errors: {
    bad_request: '输入未被接受。',
    not_found: '找不到所需的内容。',
    conflict: '现在无法执行此操作。',
    needs_confirmation: '这会替换或改动你已有的内容。要继续吗？',
    busy: 'Glassbox 正忙于另一项任务，请在它完成后重试。',
    unauthorized: '此页面无权执行此操作。',
    unsupported: '不支持此操作。',
    model_error: '模型无法完成此操作。',
    internal: 'Glassbox 内部出错了。',
    unavailable: '此功能现在不可用。',
  },
}
export default zh
