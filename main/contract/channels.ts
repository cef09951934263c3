// The only channel names in the app. Kept free of zod so the sandboxed preload can import
// them without bundling a schema library.

/** Electron: one ipcMain.handle channel carries every call of the contract. */
export const IPC_INVOKE_CHANNEL = 'glassbox:invoke'
/** Electron: every event of the bus, sent to the window. */
export const IPC_EVENT_CHANNEL = 'glassbox:event'
/** Electron: the native folder dialog (Models tab, Browse…); browser mode types a path. */
export const IPC_PICK_FOLDER_CHANNEL = 'glassbox:pickFolder'
/** The folder dialog's words, in the interface's language (the page sends them). */
export interface FolderDialogLabels {
  title: string
  buttonLabel: string
}
/** Browser mode: the WebSocket path on the host. */
export const WS_PATH = '/api'
/** Browser mode: the close code of a socket whose token was missing or wrong. */
export const WS_CLOSE_UNAUTHORIZED = 4401
