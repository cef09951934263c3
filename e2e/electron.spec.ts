import fs from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { _electron as electron } from '@playwright/test'
import { test, expect } from './fixtures'
import { AppPage } from './pages/appPage'

const ROOT = path.resolve(__dirname, '..')

/** The Electron binary, or why this machine has none (then the test is skipped, saying so). */
function findElectron(): { binary: string } | { reason: string } {
  let binary: unknown
  try {
    binary = createRequire(__filename)('electron')
  } catch {
    return {
      reason:
        'Electron is not installed here (optional dependency; its binary cannot be downloaded ' +
        'offline). The same UI is tested in browser mode.',
    }
  }
  if (typeof binary !== 'string' || !fs.existsSync(binary)) {
    return { reason: "Electron's package is installed but its binary was never downloaded." }
  }
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return { reason: 'Electron is installed but there is no display (run under xvfb-run).' }
  }
  return { binary }
}

const found = findElectron()
if ('reason' in found) console.log(`[electron e2e skipped] ${found.reason}`)

test('the Electron app opens, keeps its sandbox and saves chats across restarts', async () => {
  test.skip('reason' in found, 'reason' in found ? found.reason : '')
  const binary = (found as { binary: string }).binary
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'glassbox-electron-'))
  const launch = () =>
    electron.launch({ executablePath: binary, args: [ROOT, '--data-dir', dataDir], cwd: ROOT })
  try {
    let app = await launch()
    let page = await app.firstWindow()
    let ui = new AppPage(page)
    await expect(ui.sidebar).toBeVisible()
    // The renderer sees the bridge and nothing of Node.
    expect(
      await page.evaluate(() => {
        const w = globalThis as unknown as Record<string, { invoke?: unknown } | undefined>
        return {
          bridge: typeof w.glassbox?.invoke,
          require: typeof w.require,
          process: typeof w.process,
        }
      }),
    ).toEqual({ bridge: 'function', require: 'undefined', process: 'undefined' })
    // Browse… fills the path field from the native dialog (answered here without a person).
    await app.evaluate(({ dialog }) => {
      dialog.showOpenDialog = async () => ({ canceled: false, filePaths: ['/picked/model'] })
    })
    await page.getByTestId('tab-models').click()
    await page.getByTestId('model-browse').click()
    await expect(page.getByTestId('model-path')).toHaveValue('/picked/model')
    await page.getByTestId('tab-chat').click()
    await ui.newSession()
    await ui.rename('New chat', 'From Electron')
    await ui.write('saved through IPC')
    await app.close()

    app = await launch()
    page = await app.firstWindow()
    ui = new AppPage(page)
    await ui.select('From Electron')
    await expect(ui.messages).toHaveText([/saved through IPC/])
    // Navigation away from the app is refused.
    await page.evaluate(() => {
      const w = globalThis as unknown as { location: { href: string } }
      w.location.href = 'https://example.com/'
    })
    await expect(ui.sidebar).toBeVisible()
    expect(page.url()).toMatch(/^file:/)
    await app.close()
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
})
