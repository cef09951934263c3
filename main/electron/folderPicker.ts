// The native "choose a folder" dialog behind the Models tab's Browse… button. Electron only:
// browser mode has no dialog and types a path. The handler is built from what it needs, so
// its wiring is tested without Electron (folderPicker.test.ts).
import type { BrowserWindow, IpcMainInvokeEvent, OpenDialogOptions } from 'electron'

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

export const pickFolderOptions: OpenDialogOptions = {
  title: 'Add a model folder',
  buttonLabel: 'Choose folder',
  properties: ['openDirectory'],
}

/** The chosen folder's path, or null when cancelled (or asked by a page that is not ours). */
export function folderPickerHandler(
  deps: FolderPickerDeps,
): (event: IpcMainInvokeEvent) => Promise<string | null> {
  return async (event) => {
    if (!deps.isOurPage(event)) return null
    const result = await deps.showOpenDialog(deps.windowOf(event), pickFolderOptions)
    return result.canceled ? null : (result.filePaths[0] ?? null)
  }
}
