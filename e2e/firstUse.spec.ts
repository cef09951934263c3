// What a new user hit (issue 19), as they see it: the first-open card, limits said in numbers,
// Inside on a long text, a corrupt folder refused, a broken registry row, a broken template.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import { SHIPPED_MODEL, test, expect } from './fixtures'
import { AppPage } from './pages/appPage'
import { ChatPage } from './pages/chatPage'
import { chooseOption } from './pages/select'
import type { Page } from '@playwright/test'

let root = ''
const fixture = (name: string, overrides: object = {}): string => {
  const dir = path.join(root, name)
  execFileSync(process.execPath, [
    '--import',
    'tsx',
    path.join(__dirname, 'support', 'writeFixtureModel.mts'),
    dir,
    'llama',
    JSON.stringify(overrides),
  ])
  return dir
}

test.beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'glassbox-e2e-first-'))
})
test.afterAll(() => fs.rmSync(root, { recursive: true, force: true }))

/** Adds a folder in the Models tab; the list then has `rows` entries. */
async function addFolder(page: Page, dir: string, rows: number): Promise<void> {
  await page.getByTestId('tab-models').click()
  await page.getByTestId('model-path').fill(dir)
  await page.getByTestId('model-add').click()
  await expect(page.getByTestId('model-row')).toHaveCount(rows)
}

test.describe('first open', () => {
  test.use({ defaultModel: SHIPPED_MODEL })

  test('says what the shipped model is, offers next steps, and stays dismissed', async ({
    page,
    host,
  }) => {
    const app = new AppPage(page)
    await app.open(host.url)
    const card = page.getByTestId('welcome')
    await expect(card).toBeVisible()
    await expect(page.getByTestId('welcome-model')).toContainText('2.6 M parameters')
    await expect(page.getByTestId('welcome-model')).toContainText('King James Bible')
    await expect(page.getByTestId('welcome-model')).toContainText('completion mode')

    await page.getByTestId('welcome-space').click()
    await expect(page.getByTestId('tab-space')).toHaveAttribute('aria-selected', 'true')
    await page.getByTestId('tab-chat').click()
    await page.getByTestId('welcome-get-model').click()
    await expect(page.getByTestId('tab-models')).toHaveAttribute('aria-selected', 'true')
    await page.getByTestId('tab-chat').click()
    // The tour: the Learn tab where the build has it, else a harmless ?learn=1.
    await page.getByTestId('welcome-tour').click()
    const learnTab = page.getByTestId('tab-learn')
    if (await learnTab.count()) await expect(learnTab).toHaveAttribute('aria-selected', 'true')
    else await expect(page).toHaveURL(/[?&]learn=1/)

    await page.getByTestId('tab-chat').click()
    await page.getByTestId('welcome-dismiss').click()
    await expect(card).toHaveCount(0)
    await page.reload()
    await expect(app.sidebar).toBeVisible()
    await expect(page.getByTestId('chat-model')).toBeVisible()
    await expect(card).toHaveCount(0)
    // Remembered in the data folder, not the page: a restarted host (new port) agrees.
    await host.restart()
    await app.open(host.url)
    await expect(page.getByTestId('chat-model')).toBeVisible()
    await expect(card).toHaveCount(0)
  })
})

test('limits are said in numbers, each answer says how it ended, Inside takes a window', async ({
  page,
  host,
}) => {
  test.setTimeout(180_000)
  const app = new AppPage(page)
  const chat = new ChatPage(page)
  await app.open(host.url)
  await addFolder(page, fixture('ctx256'), 1)
  await chat.openChat()
  await app.newSession()
  await chat.openSettings()
  await chooseOption(page.getByTestId('chat-mode'), 'completion')
  await expect(page.getByTestId('chat-mode')).toHaveAttribute('data-value', 'completion')
  await chat.setNumber('maxTokens', 2000)
  const long = 'In the beginning God created the heaven and the earth. '.repeat(120)
  await app.composer.fill(long)
  await app.composer.press('Enter')
  await chat.waitFinished()
  const answer = chat.lastAssistant()
  const cuts = answer.getByTestId('message-cut')
  await expect(cuts.first()).toContainText('asked 2,000')
  await expect(cuts.first()).toContainText('(256 tokens) leaves 128')
  await expect(cuts.nth(1)).toContainText(/kept the last 128 of [\d,]+ tokens/)
  await expect(cuts.nth(1)).toContainText('the start of the text was left out')
  await expect(answer.getByTestId('message-finish')).toHaveAttribute('data-reason', /eos|length/)
  await expect(answer.getByTestId('message-finish')).toContainText('ended:')
  // Kept with the message: a reload shows the same.
  await page.reload()
  await app.sessionItems.first().getByTestId('session-title').click()
  await expect(chat.lastAssistant().getByTestId('message-cut').first()).toContainText('asked 2,000')

  // Inside: a text far longer than the context is looked at a window at a time.
  await page.getByTestId('tab-inside').click()
  await page.getByTestId('inside-text').fill(long)
  await page.getByTestId('inside-run').click()
  const windowText = page.getByTestId('inside-window-text')
  await expect(windowText).toContainText(/Tokens 1–256 of [\d,]+/, { timeout: 60_000 })
  await expect(page.getByTestId('inside-error')).toHaveCount(0)
  await page.getByTestId('inside-window-start').fill('100')
  await page.getByTestId('inside-window-run').click()
  await expect(windowText).toContainText(/Tokens 101–356 of/, { timeout: 60_000 })
})

test('a corrupt folder is refused in words; a bad row is listed as broken with Remove', async ({
  page,
  host,
}) => {
  test.setTimeout(120_000)
  const app = new AppPage(page)
  await app.open(host.url)
  const good = fixture('good')
  await addFolder(page, good, 1)

  // Corrupt weights: refused at once, naming the file, no error code on screen.
  const corrupt = fixture('corrupt')
  fs.truncateSync(path.join(corrupt, 'model.safetensors'), 200)
  await page.getByTestId('model-path').fill(corrupt)
  await page.getByTestId('model-add').click()
  const toast = page.getByTestId('error-toast')
  await expect(toast).toContainText('model.safetensors')
  await expect(toast).not.toContainText('bad_request')
  await expect(page.getByTestId('model-row')).toHaveCount(1)
  await page.getByRole('button', { name: 'Dismiss' }).click()

  // max_position_embeddings 0 in the folder and the row an older version stored.
  const bad = fixture('bad')
  await addFolder(page, bad, 2)
  await host.stop()
  const configFile = path.join(bad, 'config.json')
  const config = JSON.parse(fs.readFileSync(configFile, 'utf8'))
  fs.writeFileSync(configFile, JSON.stringify({ ...config, max_position_embeddings: 0 }))
  const db = new Database(path.join(host.dataDir, 'glassbox.db'))
  db.prepare('UPDATE models SET context_length = 0 WHERE path = ?').run(path.resolve(bad))
  db.close()
  await host.restart()
  await app.open(host.url)
  await page.getByTestId('tab-models').click()
  await expect(page.getByTestId('model-row')).toHaveCount(2)
  const broken = page.locator('[data-testid="model-row"].broken')
  await expect(broken).toHaveCount(1)
  await expect(broken.getByTestId('model-problem')).toContainText(
    'config.json: max_position_embeddings is 0',
  )
  await expect(broken.getByTestId('model-select')).toBeDisabled()
  await broken.getByTestId('model-remove').click()
  await broken.getByTestId('model-remove-yes').click()
  await expect(page.getByTestId('model-row')).toHaveCount(1)
  await expect(page.getByTestId('model-name')).toHaveText('good')
})

test('a broken chat template: completion mode, with the warning in Models and Chat', async ({
  page,
  host,
}) => {
  test.setTimeout(120_000)
  const app = new AppPage(page)
  const chat = new ChatPage(page)
  await app.open(host.url)
  const dir = fixture('badtemplate')
  const file = path.join(dir, 'tokenizer_config.json')
  const cfg = JSON.parse(fs.readFileSync(file, 'utf8'))
  fs.writeFileSync(file, JSON.stringify({ ...cfg, chat_template: '{% for m in messages %}{{ m' }))
  await addFolder(page, dir, 1)
  await expect(page.getByTestId('model-template-problem')).toContainText(
    'tokenizer_config.json: chat_template cannot be used',
  )
  await chat.openChat()
  await app.newSession()
  await expect(page.getByTestId('template-fallback')).toContainText('completion mode')
  await app.composer.fill('In the beginning')
  await app.composer.press('Enter')
  await chat.waitFinished()
  await expect(chat.lastAssistant()).toHaveAttribute('data-status', 'complete')
})
