import { SHIPPED_MODEL, test, expect } from './fixtures'
import { AppPage } from './pages/appPage'
import { InsidePage } from './pages/insidePage'

// Inside for a chat message of the shipped default model (4 layers × 4 heads), registered
// by the host on start as on a fresh install.
test.use({ defaultModel: SHIPPED_MODEL })

test('open Inside for a chat message, read a head, branch from an alternative', async ({
  page,
  host,
}, testInfo) => {
  const app = new AppPage(page)
  await app.open(host.url)

  await page.getByTestId('tab-chat').click()
  await app.newSession()
  await app.composer.fill('And God said unto Moses')
  await app.composer.press('Enter')
  const reply = page.getByTestId('message').last()
  await expect(reply.getByTestId('message-status')).toHaveCount(0, { timeout: 60_000 })

  const inside = new InsidePage(page)
  await inside.open()
  await inside.pickMessage('user')
  await expect(page.getByTestId('token-0')).toBeVisible()

  await inside.chooseLayerAndHead(1, 2)
  await expect(page.getByTestId('head-select')).toHaveAttribute('data-value', '2')
  expect(await inside.heatmapInkedPixels()).toBeGreaterThan(100)
  await expect(page.getByTestId('model-view')).toBeVisible()
  await expect(page.getByTestId('lens-table')).toBeVisible()

  // Step to a position with the keyboard, then branch from its second-best token.
  await page.getByTestId('token-1').click()
  await page.keyboard.press('ArrowRight')
  await expect(page.getByTestId('token-2')).toHaveClass(/selected/)
  await page.keyboard.press('ArrowDown')
  await expect(page.getByTestId('layer-select')).toHaveAttribute('data-value', '0')
  await page.keyboard.press('ArrowUp')
  await expect(page.getByTestId('layer-select')).toHaveAttribute('data-value', '1')
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
