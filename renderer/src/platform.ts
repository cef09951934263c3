// The one place that knows which platform the renderer runs on: Electron (the preload bridge
// is there) or a browser talking to the browser-mode host. Everything else uses `api`.
import { createApiClient, type ApiClient } from './api/client'
import { ConnectionStatus } from './api/connection'
import { createIpcTransport, type GlassboxBridge } from './api/ipcTransport'
import { createWsTransport, socketUrlFromLocation } from './api/wsTransport'

declare global {
  interface Window {
    glassbox?: GlassboxBridge
  }
}

export type PlatformKind = 'electron' | 'browser'

export const platformKind: PlatformKind = window.glassbox ? 'electron' : 'browser'

export const connection = new ConnectionStatus()

export const api: ApiClient = createApiClient(
  window.glassbox
    ? createIpcTransport(window.glassbox)
    : createWsTransport(socketUrlFromLocation(window.location), connection),
)

if (window.glassbox) connection.set('open')

/** Electron's native folder dialog; null in a browser, where the person types the path. */
export const pickFolder: GlassboxBridge['pickFolder'] | null = window.glassbox
  ? window.glassbox.pickFolder
  : null

export { ApiCallError, type ApiClient } from './api/client'
