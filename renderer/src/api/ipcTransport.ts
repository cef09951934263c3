import type { FolderDialogLabels } from '../../../main/contract/channels'
import type { CallResult, Transport } from './client'

/** What preload/index.ts exposes as window.glassbox. */
export interface GlassboxBridge {
  invoke(method: string, input: unknown): Promise<unknown>
  on(listener: (event: string, payload: unknown) => void): () => void
  /** The native folder dialog: the chosen path, or null when cancelled. */
  pickFolder(labels: FolderDialogLabels): Promise<string | null>
}

/** Electron: every call over the bridge's single IPC channel. */
export function createIpcTransport(bridge: GlassboxBridge): Transport {
  return {
    request: async (method, input) => (await bridge.invoke(method, input)) as CallResult,
    subscribe: (listener) => bridge.on(listener),
  }
}
