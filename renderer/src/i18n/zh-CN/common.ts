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
}
export default zh
