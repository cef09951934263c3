import { SHIPPED_MODEL, expect, test } from './fixtures'
import { AppPage } from './pages/appPage'
import { chooseOption } from './pages/select'
import { TrainPage } from './pages/trainPage'

test.use({ defaultModel: SHIPPED_MODEL })

const bytes = (text: string): number[] => [...Buffer.from(text)]

test('Space and Train keep their state across tab changes; a reload keeps the open chat', async ({
  page,
  host,
}) => {
  const app = new AppPage(page)
  const train = new TrainPage(page)
  await train.open(host.url)

  // Train: a dropped file and changed settings.
  await train.drop([{ name: 'garden.txt', bytes: bytes('The garden is green.\n'.repeat(40)) }])
  await expect(train.fileRows).toHaveCount(1)
  await train.fill('max-steps', '17')
  await chooseOption(page.getByTestId('mode'), 'lora')

  // Space: custom axes with a word typed in, and no chat beside it.
  await page.getByTestId('tab-space').click()
  await chooseOption(page.getByTestId('space-projection'), 'custom')
  const firstAxis = page.locator('.space-axes input').first()
  await firstAxis.fill('river')
  // Its chat pane has no list on its left to point at.
  await expect(page.getByTestId('chat-empty')).toBeVisible()
  await expect(page.getByTestId('chat-empty')).not.toContainText('on the left')
  const besideChat = page.getByLabel('Chat beside the space')
  await besideChat.uncheck()

  for (const tab of ['chat', 'models', 'inside', 'hardware', 'train']) {
    await page.getByTestId(`tab-${tab}`).click()
  }
  await expect(train.fileRows).toHaveCount(1)
  await expect(train.fileRows).toContainText('garden.txt')
  await expect(page.getByTestId('max-steps')).toHaveValue('17')
  await expect(page.getByTestId('mode')).toHaveAttribute('data-value', 'lora')

  await page.getByTestId('tab-space').click()
  await expect(page.getByTestId('space-projection')).toHaveAttribute('data-value', 'custom')
  await expect(firstAxis).toHaveValue('river')
  await expect(besideChat).not.toBeChecked()

  // Chat: the open chat (not the newest) comes back after a reload.
  await page.getByTestId('tab-chat').click()
  await app.newSession()
  await app.newSession()
  const older = app.sessionItems.nth(1)
  const id = await older.getAttribute('data-session-id')
  await older.getByTestId('session-title').click()
  await expect(older).toHaveClass(/selected/)
  await page.reload()
  await expect(app.sidebar).toBeVisible()
  await expect(page.locator(`[data-testid="session-item"][data-session-id="${id}"]`)).toHaveClass(
    /selected/,
  )
  await expect(page.getByTestId('chat-empty')).toContainText('No messages yet')
})
