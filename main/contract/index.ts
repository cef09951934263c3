import type { z } from 'zod'
import { apiServerMethods } from './apiServer'
import { chatEvents, chatMethods } from './chat'
import { hardwareEvents, hardwareMethods } from './hardware'
import { hubEvents, hubMethods } from './hub'
import { inspectEvents, inspectMethods } from './inspect'
import { learnViewsEvents, learnViewsMethods } from './learnViews'
import { learnMethods } from './learn'
import { modelsEvents, modelsMethods } from './models'
import { messagesMethods, sessionsEvents, sessionsMethods } from './sessions'
import { spaceEvents, spaceMethods } from './space'
import { systemEvents, systemMethods } from './system'
import { trainingEvents, trainingMethods } from './training'

// Every call and every event stream of the app. A domain adds its own file (sessions.ts,
// chat.ts, space.ts ...) and is spread in here; nothing else defines a channel name.
export const methods = {
  ...systemMethods,
  ...chatMethods,
  ...modelsMethods,
  ...hubMethods,
  ...hardwareMethods,
  ...sessionsMethods,
  ...messagesMethods,
  ...inspectMethods,
  ...spaceMethods,
  ...trainingMethods,
  ...apiServerMethods,
  ...learnViewsMethods,
  ...learnMethods,
} as const

export const events = {
  ...systemEvents,
  ...chatEvents,
  ...modelsEvents,
  ...hubEvents,
  ...hardwareEvents,
  ...sessionsEvents,
  ...inspectEvents,
  ...spaceEvents,
  ...trainingEvents,
  ...learnViewsEvents,
} as const

export type Methods = typeof methods
export type MethodName = keyof Methods
export type MethodInput<M extends MethodName> = z.input<Methods[M]['input']>
export type MethodOutput<M extends MethodName> = z.output<Methods[M]['output']>

export type Events = typeof events
export type EventName = keyof Events
export type EventPayload<E extends EventName> = z.output<Events[E]>

export * from './define'
