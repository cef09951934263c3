import type { systemMethods } from '../../contract/system'
import type { Handlers } from '../../contract/router'
import type { ComputeClient } from '../../compute/client'
import type { AppMode } from '../index'

export interface SystemDeps {
  mode: AppMode
  version: string
  compute: ComputeClient
}

export function createSystemHandlers({
  mode,
  version,
  compute,
}: SystemDeps): Pick<Handlers, keyof typeof systemMethods> {
  return {
    'system.health': () => ({ ok: true, version, mode }),
    'system.computeHealth': async () => ({ ...(await compute.health()), starts: compute.starts }),
  }
}
