// The native "choose a folder" dialog behind the Models tab's Browse… button. Electron only:
// browser mode has no dialog and types a path. The handler is built from what it needs, so
// its wiring is tested without Electron (folderPicker.test.ts).
import type { BrowserWindow, IpcMainInvokeEvent, OpenDialogOptions } from 'electron'
import type { FolderDialogLabels } from '../contract/channels'

export interface FolderPickerDeps {
  /** Only our own page may open dialogs (the same check as the API channel). */
  isOurPage(event: IpcMainInvokeEvent): boolean
  /** The window that asked, so the dialog is modal to it. */
  windowOf(event: IpcMainInvokeEvent): BrowserWindow | null
  showOpenDialog(
    window: BrowserWindow | null,
    options: OpenDialogOptions,
  ): Promise<{ canceled: boolean; filePaths: string[] }>
}

const ENGLISH: FolderDialogLabels = { title: 'Add a model folder', buttonLabel: 'Choose folder' }

const label = (value: unknown, fallback: string): string =>
  typeof value === 'string' && value.trim() && value.length <= 200 ? value : fallback

/** The dialog in the page's language; anything but two short strings gets the English words. */
export function pickFolderOptions(labels: unknown): OpenDialogOptions {
  const given = (typeof labels === 'object' && labels !== null ? labels : {}) as Record<
    string,
    unknown
  >
  return {
    title: label(given.title, ENGLISH.title),
    buttonLabel: label(given.buttonLabel, ENGLISH.buttonLabel),
    properties: ['openDirectory'],
  }
}

/** The chosen folder's path, or null when cancelled (or asked by a page that is not ours). */
export function folderPickerHandler(
  deps: FolderPickerDeps,
): (event: IpcMainInvokeEvent, labels?: unknown) => Promise<string | null> {
  return async (event, labels) => {
    if (!deps.isOurPage(event)) return null
    const result = await deps.showOpenDialog(deps.windowOf(event), pickFolderOptions(labels))
    return result.canceled ? null : (result.filePaths[0] ?? null)
  }
}
