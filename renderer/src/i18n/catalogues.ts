// Every namespace of every language, one import each, so a new namespace is one line here.
import apiServer from './en/apiServer'
import chat from './en/chat'
import common from './en/common'
import hardware from './en/hardware'
import inside from './en/inside'
import learn from './en/learn'
import learnViews from './en/learnViews'
import models from './en/models'
import sessions from './en/sessions'
import space from './en/space'
import train from './en/train'
import zhApiServer from './zh-CN/apiServer'
import zhChat from './zh-CN/chat'
import zhCommon from './zh-CN/common'
import zhHardware from './zh-CN/hardware'
import zhInside from './zh-CN/inside'
import zhLearn from './zh-CN/learn'
import zhLearnViews from './zh-CN/learnViews'
import zhModels from './zh-CN/models'
import zhSessions from './zh-CN/sessions'
import zhSpace from './zh-CN/space'
import zhTrain from './zh-CN/train'
import type { Strings } from './strings'

export const en = {
  common,
  chat,
  models,
  space,
  inside,
  train,
  hardware,
  apiServer,
  sessions,
  learn,
  learnViews,
}

export type Catalogue = typeof en

const zhCN: Strings<Catalogue> = {
  common: zhCommon,
  chat: zhChat,
  models: zhModels,
  space: zhSpace,
  inside: zhInside,
  train: zhTrain,
  hardware: zhHardware,
  apiServer: zhApiServer,
  sessions: zhSessions,
  learn: zhLearn,
  learnViews: zhLearnViews,
}

export const catalogues = { en, 'zh-CN': zhCN } as const

export type Language = keyof typeof catalogues

export const LANGUAGES: readonly { id: Language; name: string }[] = [
  { id: 'en', name: 'English' },
  { id: 'zh-CN', name: '简体中文' },
]
