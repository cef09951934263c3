import type { BrowserWindow, IpcMainInvokeEvent, OpenDialogOptions } from 'electron'
import { describe, expect, it } from 'vitest'
import { folderPickerHandler, type FolderPickerDeps } from './folderPicker'

const event = (url: string) => ({ senderFrame: { url } }) as unknown as IpcMainInvokeEvent
const win = {} as BrowserWindow

function picker(answer: { canceled: boolean; filePaths: string[] }) {
  const calls: { window: BrowserWindow | null; options: OpenDialogOptions }[] = []
  const deps: FolderPickerDeps = {
    isOurPage: (e) => e.senderFrame?.url === 'app://ours',
    windowOf: () => win,
    showOpenDialog: async (window, options) => {
      calls.push({ window, options })
      return answer
    },
  }
  return { handle: folderPickerHandler(deps), calls }
}

describe('the folder picker handler', () => {
  it('opens a directory dialog on the asking window and returns the chosen path', async () => {
    const { handle, calls } = picker({ canceled: false, filePaths: ['/models/smollm2'] })
    expect(await handle(event('app://ours'))).toBe('/models/smollm2')
    expect(calls).toHaveLength(1)
    expect(calls[0].window).toBe(win)
    expect(calls[0].options.properties).toEqual(['openDirectory'])
  })

  it('returns null when the person cancels', async () => {
    const { handle } = picker({ canceled: true, filePaths: [] })
    expect(await handle(event('app://ours'))).toBeNull()
  })

  it('opens no dialog for a page that is not ours', async () => {
    const { handle, calls } = picker({ canceled: false, filePaths: ['/etc'] })
    expect(await handle(event('https://elsewhere'))).toBeNull()
    expect(calls).toHaveLength(0)
  })
})
