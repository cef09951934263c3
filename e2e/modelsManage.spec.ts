// The Models tab's management: a hub token saved and used for a gated repo, another cache
// folder, a model added through the browser-mode folder picker and renamed, and a download
// left unfinished by a host restart listed as paused and resumed.
import fs from 'node:fs'
import path from 'node:path'
import { test, expect } from './fixtures'
import { AppPage } from './pages/appPage'
import { HubPage } from './pages/hubPage'
import { standInHub } from './support/standInHub'

const repo = 'test-org/tiny-llama'
const gated = 'test-org/gated-llama'
const standIn = standInHub((dir) => [
  { id: repo, dir, downloads: 5 },
  { id: gated, dir, downloads: 1, gated: true },
])

test('token, cache folder, folder picker, rename', async ({ page, host }) => {
  test.setTimeout(120_000)
  const { hub, root, modelDir } = standIn()
  const app = new AppPage(page)
  const hubPage = new HubPage(page)
  await app.open(host.url)
  await page.getByTestId('tab-models').click()

  // A token: saved, said where it comes from, used for the gated repo, never shown.
  const source = page.getByTestId('hub-token-source')
  await expect(source).toHaveAttribute('data-source', 'none')
  await hubPage.search('gated')
  const row = hubPage.hit(gated)
  await row.getByTestId('hub-details').click()
  const toast = page.getByTestId('error-toast').last()
  await expect(toast).toContainText(/gated/)
  await toast.getByRole('button').click()
  await page.getByTestId('hub-token').fill(hub.token)
  await page.getByTestId('hub-token-save').click()
  await expect(source).toHaveAttribute('data-source', 'saved')
  await expect(page.getByTestId('hub-token')).toHaveValue('')
  expect(await page.content()).not.toContain(hub.token)
  const file = path.join(host.dataDir, 'hf-token.json')
  expect(fs.statSync(file).mode & 0o777).toBe(0o600)
  await row.getByTestId('hub-details').click()
  await expect(row.getByTestId('hub-runs')).toHaveText('runs here')
  await page.getByTestId('hub-token-clear').click()
  await expect(source).toHaveAttribute('data-source', 'none')

  // Another cache folder.
  const picked = path.join(root, 'picked-cache')
  await page.getByTestId('hub-cache-change').click()
  await page.getByTestId('hub-cache-input').fill(picked)
  await page.getByTestId('hub-cache-save').click()
  await expect(page.getByTestId('hub-cache-dir')).toHaveText(picked)
  expect(fs.existsSync(picked)).toBe(true)

  // The folder picker: from home up to /, then down to the fixture, no path typed.
  await page.getByTestId('model-pick').click()
  const picker = page.getByTestId('folder-picker')
  await expect(picker.getByTestId('folder-place').first()).toBeVisible()
  const current = picker.getByTestId('folder-current')
  await expect(current).toHaveText(/^\//)
  for (let i = 0; i < 20 && (await current.textContent()) !== '/'; i++) {
    const was = (await current.textContent()) ?? ''
    await picker.getByTestId('folder-up').click()
    await expect(current).not.toHaveText(was)
  }
  await expect(picker.getByTestId('folder-current')).toHaveText('/')
  for (const name of [...root.split('/').filter(Boolean), 'library']) {
    await picker.locator(`[data-testid="folder-entry"][data-name="${name}"]`).click()
  }
  const entry = picker.locator('[data-testid="folder-entry"][data-name="tiny-llama"]')
  await expect(entry.locator('xpath=..')).toContainText('safetensors')
  await entry.click()
  await expect(picker.getByTestId('folder-current')).toHaveText(modelDir)
  await picker.getByTestId('folder-choose').click()
  await expect(picker).toHaveCount(0)
  const modelRow = page.getByTestId('model-row').filter({ hasText: modelDir })
  await expect(modelRow.getByTestId('model-name')).toHaveText('tiny-llama')

  // Rename: the list and the chat show the new name.
  await modelRow.getByTestId('model-rename').click()
  await modelRow.getByTestId('model-rename-input').fill('My picked llama')
  await modelRow.getByTestId('model-rename-save').click()
  await expect(modelRow.getByTestId('model-name')).toHaveText('My picked llama')
  await page.getByTestId('tab-chat').click()
  await expect(page.getByTestId('chat-model')).toContainText('My picked llama')
})

test('a download unfinished when the host stops is listed paused and resumes', async ({
  page,
  host,
}) => {
  test.setTimeout(120_000)
  const { hub, root } = standIn()
  const app = new AppPage(page)
  const hubPage = new HubPage(page)
  await app.open(host.url)
  await page.getByTestId('tab-models').click()
  await hubPage.search('tiny')
  const row = hubPage.hit(repo)
  await row.getByTestId('hub-details').click()
  hub.throttle(40_000)
  await row.getByTestId('hub-download').click()
  await hubPage.expectState(row, 'running')
  // Some bytes on disk, then the app stops.
  await expect
    .poll(
      () =>
        fs
          .readdirSync(path.join(root, 'hf-cache', 'models--test-org--tiny-llama', 'blobs'))
          .filter((f) => f.endsWith('.incomplete')).length,
      { timeout: 20_000 },
    )
    .toBeGreaterThan(0)
  await host.restart()
  hub.throttle(0)
  const before = hub.requests.length
  await app.open(host.url)
  await page.getByTestId('tab-models').click()
  const unfinished = page
    .getByTestId('hub-unfinished')
    .locator(`[data-testid="hub-row"][data-repo="${repo}"]`)
  await expect(unfinished).toContainText('paused — resume')
  await unfinished.getByTestId('hub-resume').click()
  // Done: registered, so it leaves the unfinished list for the model list.
  await expect(
    page.getByTestId('model-row').filter({ hasText: 'models--test-org--tiny-llama' }),
  ).toHaveCount(1, { timeout: 30_000 })
  await expect(page.getByTestId('hub-unfinished')).toHaveCount(0)
  expect(hub.requests.slice(before).some((r) => r.range?.startsWith('bytes='))).toBe(true)
})
