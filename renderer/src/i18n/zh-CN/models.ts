import type { Strings } from '../strings'
import type en from '../en/models'

const zh: Strings<typeof en> = {
  hubSettings: {
    title: 'Hub 访问与缓存',
    tokenLabel: 'Hugging Face 令牌',
    tokenPlaceholder: 'hf_…（用于受限或私有仓库）',
    save: '保存令牌',
    clear: '清除已保存的令牌',
    source: {
      env: '正在使用 HF_TOKEN 中的令牌。',
      saved: '正在使用此处保存的令牌。',
      'hf-home': '正在使用 huggingface-cli 保存的令牌（HF_HOME/token）。',
      none: '没有令牌：只能访问公开仓库。',
    },
    savedEncrypted: '已保存，由系统钥匙串加密。',
    savedFile: '已保存在只有你能读取的文件中。',
    envWins: '已设置 HF_TOKEN，因此使用它而不是已保存的令牌。',
    cacheLabel: 'Hub 缓存文件夹',
    cacheSource: {
      setting: '在此处选择',
      env: '来自 HF_HUB_CACHE / HF_HOME',
      default: '默认位置',
    },
    cacheChange: '更改',
    cacheBrowse: '选择…',
    cacheSave: '使用此文件夹',
    cacheReset: '恢复默认',
    cancel: '取消',
    proxy: '请求通过 HTTPS_PROXY / HTTP_PROXY 中的代理发送。',
  },
  unfinished: {
    title: '未完成的下载',
    paused: '已暂停 — 可继续',
  },
  rename: {
    button: '重命名',
    label: '新名称',
    save: '保存',
    cancel: '取消',
  },
  picker: {
    open: '选择…',
    title: '选择模型文件夹',
    up: '上一级',
    close: '关闭',
    choose: '添加此文件夹',
    chooseAny: '使用此文件夹',
    chooseFile: '添加',
    model: {
      safetensors: '模型（safetensors）',
      gguf: 'GGUF 文件',
    },
    place: {
      home: '主目录',
      'hf-cache': 'Hugging Face 缓存',
      lmstudio: 'LM Studio',
      ollama: 'Ollama',
    },
    empty: '这里没有子文件夹。',
    notModel: '此文件夹看起来不是模型（没有 config.json 与 .safetensors，也没有 .gguf）。',
  },
}
export default zh
