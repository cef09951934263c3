import type { systemMethods } from '../../contract/system'
import type { Handlers } from '../../contract/router'
import type { ComputeClient } from '../../compute/client'
import type { AppMode } from '../index'
import type { ModelRegistry } from '../models/registry'
import type { SessionStore } from '../store'
import { dismissWelcome, welcomeState } from './welcome'

export interface SystemDeps {
  mode: AppMode
  version: string
  compute: ComputeClient
  store: SessionStore
  registry: ModelRegistry
}

export function createSystemHandlers({
  mode,
  version,
  compute,
  store,
  registry,
}: SystemDeps): Pick<Handlers, keyof typeof systemMethods> {
  return {
    'system.health': () => ({ ok: true, version, mode }),
    'system.welcome': () => welcomeState(store, registry),
    'system.dismissWelcome': () => dismissWelcome(store, registry),
    'system.computeHealth': async () => ({ ...(await compute.health()), starts: compute.starts }),
  }
}
