import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { test, expect } from './fixtures'
import { AppPage } from './pages/appPage'
import { InsidePage } from './pages/insidePage'

// Inside for a chat message. The model is a fixture written here (random weights, Llama
// shape, 2 layers × 4 heads): the shipped default model is not in the repository yet, and a
// fixture keeps the test fast and independent of training.

let modelDir: string

test.beforeAll(() => {
  modelDir = fs.mkdtempSync(path.join(os.tmpdir(), 'glassbox-e2e-inside-model-'))
  // In its own process, as the chat e2e does: Playwright's loader cannot load native-models.
  execFileSync(process.execPath, [
    '--import',
    'tsx',
    path.join(__dirname, 'support', 'writeFixtureModel.mts'),
    modelDir,
    'llama',
  ])
})

test.afterAll(() => {
  fs.rmSync(modelDir, { recursive: true, force: true })
})

test('open Inside for a chat message, read a head, branch from an alternative', async ({
  page,
  host,
}, testInfo) => {
  const app = new AppPage(page)
  await app.open(host.url)

  await page.getByTestId('tab-models').click()
  await page.getByTestId('model-path').fill(modelDir)
  await page.getByTestId('model-add').click()
  await expect(page.getByTestId('model-row')).toHaveCount(1)

  await page.getByTestId('tab-chat').click()
  await app.newSession()
  await app.composer.fill('The cat sat on the mat')
  await app.composer.press('Enter')
  const reply = page.getByTestId('message').last()
  await expect(reply.getByTestId('message-status')).toHaveCount(0, { timeout: 60_000 })

  const inside = new InsidePage(page)
  await inside.open()
  await inside.pickMessage('user')
  await expect(page.getByTestId('token-0')).toBeVisible()

  await inside.chooseLayerAndHead(1, 2)
  await expect(page.getByTestId('head-select')).toHaveValue('2')
  expect(await inside.heatmapInkedPixels()).toBeGreaterThan(100)
  await expect(page.getByTestId('model-view')).toBeVisible()
  await expect(page.getByTestId('lens-table')).toBeVisible()

  // Step to a position with the keyboard, then branch from its second-best token.
  await page.getByTestId('token-1').click()
  await page.keyboard.press('ArrowRight')
  await expect(page.getByTestId('token-2')).toHaveClass(/selected/)
  await page.keyboard.press('ArrowDown')
  await expect(page.getByTestId('layer-select')).toHaveValue('0')
  await page.keyboard.press('ArrowUp')
  await expect(page.getByTestId('layer-select')).toHaveValue('1')
  const alt = inside.alternative(1)
  const altId = await alt.getAttribute('data-token-id')
  await alt.click()
  await expect(inside.continuation).toBeVisible({ timeout: 60_000 })
  await expect(inside.continuation).toHaveAttribute('data-chosen-id', altId!)
  await expect(page.getByTestId('continuation-chosen')).not.toBeEmpty()
  // Kept with the results so a person can see what the view looked like.
  await page.screenshot({ path: testInfo.outputPath('inside.png'), fullPage: true })
  await page.getByTestId('contribution-bars').scrollIntoViewIfNeeded()
  await page.screenshot({ path: testInfo.outputPath('inside-lower.png'), fullPage: true })
})
