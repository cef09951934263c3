import type { Strings } from '../strings'
import type en from '../en/apiServer'

const zh: Strings<typeof en> = {
  loading: '加载中…',
  title: '兼容 OpenAI 的 API',
  intro:
    '其他工具（编辑器、智能体、笔记本、脚本）可以通过 OpenAI 的 API 使用本地模型，仅限本机（127.0.0.1），并需使用下方的密钥。',
  serve: '提供 API 服务',
  port: '端口',
  baseUrl: '基础 URL：',
  off: '未开启',
  key: '密钥：',
  newKey: '更换密钥',
  saveSessions: '把 API 对话保存为会话（标记为“API”），以便在“对话”和“模型内部”中打开',
}
export default zh
