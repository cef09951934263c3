import { test, expect } from './fixtures'
import { AppPage } from './pages/appPage'
import { ChatPage } from './pages/chatPage'
import { HubPage } from './pages/hubPage'
import { standInHub } from './support/standInHub'

const repo = 'test-org/tiny-llama'
const standIn = standInHub((dir) => [{ id: repo, dir, downloads: 5 }])

test('search the hub, download with progress, cancel, resume, then chat', async ({
  page,
  host,
}) => {
  test.setTimeout(180_000)
  const { hub } = standIn()
  const app = new AppPage(page)
  const chat = new ChatPage(page)
  const hubPage = new HubPage(page)
  await app.open(host.url)
  await page.getByTestId('tab-models').click()

  await hubPage.search('tiny')
  const row = hubPage.hit(repo)
  await expect(row).toBeVisible()
  await row.getByTestId('hub-details').click()
  await expect(row.getByTestId('hub-size')).toHaveText(/\d+ kB/)
  await expect(row.getByTestId('hub-runs')).toHaveText('runs here')

  // Slow enough to see the progress, cancel and pause it.
  hub.throttle(60_000)
  await row.getByTestId('hub-download').click()
  await hubPage.expectState(row, 'running')
  await expect(hubPage.progress(row)).toContainText(/ETA \d+ s/)
  await row.getByTestId('hub-cancel').click()
  await expect(hubPage.progress(row)).toContainText('Cancelled.')

  await row.getByTestId('hub-download').click()
  await hubPage.expectState(row, 'running')
  await expect(hubPage.progress(row)).toContainText(/kB\/s/)
  await row.getByTestId('hub-pause').click()
  await hubPage.expectState(row, 'paused')

  hub.throttle(0)
  const before = hub.requests.length
  await row.getByTestId('hub-resume').click()
  await expect(row.getByTestId('hub-done')).toBeVisible()
  // The resume asked only for the rest of the weights.
  expect(hub.requests.slice(before).some((r) => r.range?.startsWith('bytes='))).toBe(true)

  // Registered without a restart, under the repo's name; the only model, so new chats use it.
  const entry = page.getByTestId('model-row').filter({ hasText: repo })
  await expect(entry).toBeVisible()
  await expect(entry.getByTestId('model-select')).toBeDisabled()
  await chat.openChat()
  await app.newSession()
  await expect(page.getByTestId('chat-model')).toContainText(repo)
  await app.composer.fill('Hello there')
  await app.composer.press('Enter')
  await chat.waitFinished()
})
