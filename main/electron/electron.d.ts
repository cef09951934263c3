// The few Electron APIs Glassbox uses, declared here because the `electron` package (an
// optional dependency) is not installed where its binary cannot be downloaded, and the code
// must typecheck and build there too. TypeScript uses this ambient declaration before looking
// in node_modules, so installing electron changes nothing for the compiler. Signatures follow
// electron.d.ts of Electron 45.
declare module 'electron' {
  interface Event {
    preventDefault(): void
  }

  interface WebFrameMain {
    url: string
  }

  interface IpcMainInvokeEvent extends Event {
    sender: WebContents
    senderFrame: WebFrameMain | null
  }

  interface IpcRendererEvent extends Event {
    sender: unknown
  }

  interface HandlerDetails {
    url: string
  }

  interface WebContents {
    id: number
    send(channel: string, ...args: unknown[]): void
    on(
      event: 'will-navigate' | 'will-redirect',
      listener: (event: Event, url: string) => void,
    ): this
    on(event: 'did-finish-load', listener: () => void): this
    setWindowOpenHandler(handler: (details: HandlerDetails) => { action: 'deny' | 'allow' }): void
    isDestroyed(): boolean
    session: Session
  }

  interface OnHeadersReceivedListenerDetails {
    url: string
    responseHeaders?: Record<string, string[]>
  }

  interface Session {
    setPermissionRequestHandler(
      handler:
        | ((
            webContents: WebContents,
            permission: string,
            callback: (granted: boolean) => void,
          ) => void)
        | null,
    ): void
    webRequest: {
      onHeadersReceived(
        listener: (
          details: OnHeadersReceivedListenerDetails,
          callback: (response: { responseHeaders?: Record<string, string[]> }) => void,
        ) => void,
      ): void
    }
  }

  interface WebPreferences {
    preload?: string
    contextIsolation?: boolean
    sandbox?: boolean
    nodeIntegration?: boolean
    webSecurity?: boolean
    webviewTag?: boolean
    spellcheck?: boolean
  }

  interface BrowserWindowConstructorOptions {
    width?: number
    height?: number
    minWidth?: number
    minHeight?: number
    show?: boolean
    title?: string
    backgroundColor?: string
    webPreferences?: WebPreferences
  }

  class BrowserWindow {
    constructor(options?: BrowserWindowConstructorOptions)
    static getAllWindows(): BrowserWindow[]
    static fromWebContents(webContents: WebContents): BrowserWindow | null
    webContents: WebContents
    loadFile(filePath: string): Promise<void>
    loadURL(url: string): Promise<void>
    once(event: 'ready-to-show', listener: () => void): this
    on(event: 'closed', listener: () => void): this
    show(): void
    isDestroyed(): boolean
  }

  interface App {
    whenReady(): Promise<void>
    getPath(name: 'userData' | 'home' | 'temp'): string
    setPath(name: 'userData', path: string): void
    getVersion(): string
    quit(): void
    exit(exitCode?: number): void
    on(event: 'window-all-closed' | 'before-quit', listener: () => void): this
    on(event: 'activate', listener: () => void): this
    on(event: 'web-contents-created', listener: (event: Event, contents: WebContents) => void): this
    requestSingleInstanceLock(): boolean
    on(event: 'second-instance', listener: () => void): this
    isPackaged: boolean
  }

  interface IpcMain {
    handle(
      channel: string,
      listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<unknown> | unknown,
    ): void
    removeHandler(channel: string): void
  }

  interface IpcRenderer {
    invoke(channel: string, ...args: unknown[]): Promise<unknown>
    on(channel: string, listener: (event: IpcRendererEvent, ...args: unknown[]) => void): this
    removeListener(
      channel: string,
      listener: (event: IpcRendererEvent, ...args: unknown[]) => void,
    ): this
  }

  interface ContextBridge {
    exposeInMainWorld(apiKey: string, api: unknown): void
  }

  interface UtilityProcess {
    pid: number | undefined
    postMessage(message: unknown): void
    on(event: 'message', listener: (message: unknown) => void): this
    on(event: 'exit', listener: (code: number) => void): this
    kill(): boolean
  }

  interface UtilityProcessModule {
    fork(
      modulePath: string,
      args?: string[],
      options?: { serviceName?: string; stdio?: 'inherit' | 'pipe' | 'ignore' },
    ): UtilityProcess
  }

  interface OpenDialogOptions {
    title?: string
    defaultPath?: string
    buttonLabel?: string
    properties?: Array<'openFile' | 'openDirectory' | 'multiSelections' | 'showHiddenFiles'>
  }

  interface OpenDialogReturnValue {
    canceled: boolean
    filePaths: string[]
  }

  interface Dialog {
    showErrorBox(title: string, content: string): void
    showOpenDialog(
      window: BrowserWindow,
      options: OpenDialogOptions,
    ): Promise<OpenDialogReturnValue>
    showOpenDialog(options: OpenDialogOptions): Promise<OpenDialogReturnValue>
  }

  export const dialog: Dialog
  export const app: App
  export const ipcMain: IpcMain
  export const ipcRenderer: IpcRenderer
  export const contextBridge: ContextBridge
  export const utilityProcess: UtilityProcessModule
  export const session: { defaultSession: Session }
  export const safeStorage: {
    isEncryptionAvailable(): boolean
    encryptString(plainText: string): Buffer
    decryptString(encrypted: Buffer): string
  }
  export { BrowserWindow }
  export type {
    IpcMainInvokeEvent,
    IpcRendererEvent,
    OpenDialogOptions,
    WebContents,
    UtilityProcess,
  }
}
