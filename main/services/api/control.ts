// The API server inside the app: off by default, turned on (and kept on across restarts)
// from Settings; the key can be rotated there. `glassbox serve --api` starts it directly.
import type { apiServerMethods, ApiServerStatus } from '../../contract/apiServer'
import type { Handlers } from '../../contract/router'
import type { SessionStore } from '../store'
import { saveApiSessionsSetting } from './apiSessions'
import { startApiServer, type ApiServer } from './apiServer'
import { apiKeyOf, rotateApiKey } from './index'
import type { OpenAiAdapter } from './openaiAdapter'

const enabledSetting = 'api.enabled'
const portSetting = 'api.port'
const defaultPort = 8081

export class ApiControl {
  private server: ApiServer | null = null
  private error: string | null = null
  private change: Promise<unknown> = Promise.resolve()

  constructor(
    private readonly store: SessionStore,
    private readonly adapter: () => OpenAiAdapter,
  ) {}

  status(): ApiServerStatus {
    return {
      enabled: this.store.getSetting<boolean>(enabledSetting) === true,
      baseUrl: this.server?.baseUrl ?? null,
      port: this.store.getSetting<number>(portSetting) ?? defaultPort,
      key: apiKeyOf(this.store),
      saveSessions: this.store.getSetting<boolean>(saveApiSessionsSetting) !== false,
      error: this.error,
    }
  }

  /** Starts the server when the settings say it is on (the app's start-up). */
  resume(): Promise<ApiServerStatus> {
    return this.serialized(() => this.apply())
  }

  configure(patch: { enabled?: boolean; port?: number; saveSessions?: boolean }) {
    return this.serialized(async () => {
      if (patch.enabled !== undefined) this.store.setSetting(enabledSetting, patch.enabled)
      if (patch.port !== undefined) this.store.setSetting(portSetting, patch.port)
      if (patch.saveSessions !== undefined)
        this.store.setSetting(saveApiSessionsSetting, patch.saveSessions)
      return this.apply(patch.port !== undefined)
    })
  }

  rotateKey() {
    return this.serialized(async () => {
      rotateApiKey(this.store)
      return this.apply(true)
    })
  }

  async close(): Promise<void> {
    await this.change.catch(() => {})
    await this.server?.close()
    this.server = null
  }

  private async apply(restart = false): Promise<ApiServerStatus> {
    const { enabled, port, key } = this.status()
    if (this.server && (!enabled || restart)) {
      await this.server.close()
      this.server = null
    }
    this.error = null
    if (enabled && !this.server) {
      try {
        this.server = await startApiServer({ adapter: this.adapter(), apiKey: key, port })
      } catch (err) {
        // A port in use is the person's to change; the app goes on without the API.
        this.error = `The API could not start on port ${port}: ${(err as Error).message}`
      }
    }
    return this.status()
  }

  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const run = this.change.then(work, work)
    this.change = run.catch(() => {})
    return run
  }
}

export function createApiHandlers(
  control: ApiControl,
): Pick<Handlers, keyof typeof apiServerMethods> {
  return {
    'api.status': () => control.status(),
    'api.configure': (input) => control.configure(input),
    'api.rotateKey': () => control.rotateKey(),
  }
}
