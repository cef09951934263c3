// Electron's main process: one window, one IPC channel carrying the contract's router, every
// bus event forwarded to the window. The only folder that imports 'electron'.
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  safeStorage,
  session,
  type IpcMainInvokeEvent,
} from 'electron'
import {
  IPC_EVENT_CHANNEL,
  IPC_INVOKE_CHANNEL,
  IPC_PICK_FOLDER_CHANNEL,
} from '../contract/channels'
import type { CallContext } from '../contract/router'
import { createServices, type Services } from '../services'
import { defaultDataDir } from '../services/paths'
import { utilityProcessLauncher } from './computeLauncher'
import { folderPickerHandler } from './folderPicker'

const RENDERER_INDEX = path.join(__dirname, '..', 'renderer', 'index.html')
const PRELOAD = path.join(__dirname, '..', 'preload', 'index.cjs')
const APP_URL = pathToFileURL(RENDERER_INDEX).href

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ')

let services: Services | null = null

/** `--data-dir DIR` or `--data-dir=DIR` among Electron's arguments (tests, several profiles). */
function dataDirFromArgs(argv: string[]): string | null {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--data-dir' && argv[i + 1]) return path.resolve(argv[i + 1])
    if (argv[i].startsWith('--data-dir=')) return path.resolve(argv[i].slice('--data-dir='.length))
  }
  return null
}

/** Only our own page may call the API; any other frame (there should be none) is refused. */
function fromOurPage(event: IpcMainInvokeEvent): boolean {
  const url = event.senderFrame?.url ?? ''
  return url.split(/[?#]/)[0] === APP_URL
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Glassbox',
    backgroundColor: '#0f1115',
    webPreferences: {
      preload: PRELOAD,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
    },
  })
  win.once('ready-to-show', () => win.show())
  void win.loadFile(RENDERER_INDEX)
  return win
}

async function main(): Promise<void> {
  // One data folder for both modes: Electron's userData becomes the platform data folder that
  // browser mode uses (on Linux that is XDG_DATA_HOME, not Electron's default ~/.config).
  app.setPath('userData', dataDirFromArgs(process.argv) ?? defaultDataDir())
  if (!app.requestSingleInstanceLock()) {
    app.quit()
    return
  }
  // Every web contents: no navigation away from the app, no new windows.
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event) => event.preventDefault())
    contents.on('will-redirect', (event) => event.preventDefault())
    contents.setWindowOpenHandler(() => ({ action: 'deny' }))
  })

  await app.whenReady()
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) =>
    callback(false),
  )
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] },
    })
  })

  let current: Services
  try {
    current = createServices({
      dataDir: app.getPath('userData'),
      mode: 'electron',
      computeLauncher: utilityProcessLauncher(path.join(__dirname, 'compute.js')),
      // The saved hub token is sealed by the OS keychain where there is one.
      secretCipher: safeStorage.isEncryptionAvailable()
        ? {
            encrypt: (plain) => safeStorage.encryptString(plain),
            decrypt: (sealed) => safeStorage.decryptString(sealed),
          }
        : undefined,
    })
  } catch (err) {
    // Another Glassbox owns this data folder: say where it runs, write nothing.
    dialog.showErrorBox('Glassbox', err instanceof Error ? err.message : String(err))
    app.exit(1)
    return
  }
  services = current

  ipcMain.handle(IPC_INVOKE_CHANNEL, async (event, method, input) => {
    if (!fromOurPage(event)) {
      return { ok: false, error: { code: 'unauthorized', message: 'Unknown caller.' } }
    }
    const ctx: CallContext = {
      emit: (name, payload) => {
        if (!event.sender.isDestroyed()) event.sender.send(IPC_EVENT_CHANNEL, name, payload)
      },
    }
    return current.dispatch(String(method), input, ctx)
  })

  ipcMain.handle(
    IPC_PICK_FOLDER_CHANNEL,
    folderPickerHandler({
      isOurPage: fromOurPage,
      windowOf: (event) => BrowserWindow.fromWebContents(event.sender),
      showOpenDialog: (win, options) =>
        win ? dialog.showOpenDialog(win, options) : dialog.showOpenDialog(options),
    }),
  )

  current.bus.on((name, payload) => {
    for (const win of BrowserWindow.getAllWindows()) {
      if (!win.isDestroyed()) win.webContents.send(IPC_EVENT_CHANNEL, name, payload)
    }
  })

  createWindow()
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow()
  })
  app.on('window-all-closed', () => app.quit())
  app.on('before-quit', () => {
    services?.close()
    services = null
  })
}

main().catch((err: unknown) => {
  // E.g. a database that is not SQLite or from a newer version: say so, change nothing.
  const message = err instanceof Error ? err.message : String(err)
  console.error(message)
  dialog.showErrorBox('Glassbox cannot start', message)
  app.quit()
})
