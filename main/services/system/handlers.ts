import type { systemMethods } from '../../contract/system'
import type { Handlers } from '../../contract/router'
import type { AppMode } from '../index'

export interface SystemDeps {
  mode: AppMode
  version: string
}

export function createSystemHandlers({
  mode,
  version,
}: SystemDeps): Pick<Handlers, keyof typeof systemMethods> {
  return {
    'system.health': () => ({ ok: true, version, mode }),
  }
}
