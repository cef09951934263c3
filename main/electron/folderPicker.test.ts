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

  it('titles the dialog in the words the page sends, and in English for anything else', async () => {
    const { handle, calls } = picker({ canceled: true, filePaths: [] })
    await handle(event('app://ours'), { title: '添加模型文件夹', buttonLabel: '选择文件夹' })
    expect(calls[0].options).toMatchObject({ title: '添加模型文件夹', buttonLabel: '选择文件夹' })
    await handle(event('app://ours'), { title: 42, buttonLabel: 'x'.repeat(500) })
    expect(calls[1].options).toMatchObject({
      title: 'Add a model folder',
      buttonLabel: 'Choose folder',
    })
    await handle(event('app://ours'))
    expect(calls[2].options.title).toBe('Add a model folder')
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
