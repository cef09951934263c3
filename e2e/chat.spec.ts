import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { test, expect } from './fixtures'
import { AppPage } from './pages/appPage'
import { ChatPage } from './pages/chatPage'

let modelDir = ''

test.beforeAll(async () => {
  modelDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'glassbox-e2e-model-')), 'tiny-llama')
  // A longer context than the fixture's 256, so an answer runs long enough to be stopped.
  execFileSync(process.execPath, [
    '--import',
    'tsx',
    path.join(__dirname, 'support', 'writeFixtureModel.mts'),
    modelDir,
    'llama',
    JSON.stringify({ max_position_embeddings: 4096 }),
  ])
})

test.afterAll(() => {
  if (modelDir) fs.rmSync(path.dirname(modelDir), { recursive: true, force: true })
})

test('chat with a local model: stream, stop, regenerate, edit, sampling, reload', async ({
  page,
  host,
}) => {
  test.setTimeout(240_000)
  const app = new AppPage(page)
  const chat = new ChatPage(page)
  await app.open(host.url)

  await chat.addModel(modelDir)
  await expect(page.getByTestId('model-facts')).toContainText('LlamaForCausalLM')
  await expect(page.getByTestId('model-facts')).toContainText('context 4096')

  await chat.openChat()
  await app.newSession()
  await expect(page.getByTestId('chat-model')).toContainText('tiny-llama')
  await chat.openSettings()
  // A random model says end-of-text at random: keep it going so it can be stopped mid-way.
  // (The box is controlled by the saved settings: it turns on once the server has them.)
  await page.getByTestId('sampling-ignoreEos').click()
  await expect(page.getByTestId('sampling-ignoreEos')).toBeChecked()
  await chat.setNumber('maxTokens', 1500)

  // Send; tokens stream in; stop mid-way.
  await app.composer.fill('Hello there')
  await app.composer.press('Enter')
  const first = chat.lastAssistant()
  await expect(first).toHaveAttribute('data-status', 'streaming')
  const body = first.getByTestId('message-body')
  await expect(body).not.toHaveText('')
  const early = (await body.textContent())!.length
  await expect.poll(async () => (await body.textContent())!.length).toBeGreaterThan(early)
  await page.getByTestId('chat-stop').click()
  await expect(first).toHaveAttribute('data-status', 'interrupted')
  await expect(first.getByTestId('message-status')).toHaveText('stopped')
  await expect(first.getByTestId('message-stats')).toContainText('tokens')
  const stoppedText = await first.getByTestId('message-body').textContent()

  // Regenerate: a second answer, the first stays reachable as 1/2.
  await chat.setNumber('maxTokens', 24)
  await first.getByTestId('regenerate').click()
  await chat.waitFinished()
  await expect(chat.lastAssistant().getByTestId('alt-position')).toHaveText('2/2')
  await expect(chat.lastAssistant()).toHaveAttribute('data-status', 'complete')
  // Each answer drew its own seed, shown with it, so Regenerate does not repeat itself.
  const seedOf = async () =>
    /seed (\d+)/.exec((await chat.lastAssistant().getByTestId('message-stats').textContent())!)?.[1]
  const secondSeed = await seedOf()
  expect(secondSeed).toBeTruthy()
  await chat.lastAssistant().getByTestId('alt-prev').click()
  await expect(chat.lastAssistant().getByTestId('alt-position')).toHaveText('1/2')
  await expect(chat.lastAssistant().getByTestId('message-body')).toHaveText(stoppedText!)
  expect(await seedOf()).not.toBe(secondSeed)
  await chat.lastAssistant().getByTestId('alt-next').click()
  await expect(chat.lastAssistant().getByTestId('alt-position')).toHaveText('2/2')

  // Edit the user message and resend: a new branch, the old one kept.
  await chat.user.first().getByTestId('edit-message').click()
  await page.getByTestId('edit-input').fill('Hello again')
  await page.getByTestId('edit-send').click()
  await expect(chat.user.first().getByTestId('message-body')).toHaveText('Hello again')
  await expect(chat.user.first().getByTestId('alt-position')).toHaveText('2/2')
  await chat.waitFinished()

  // Another seed and temperature: the answer's stats say so, and it is a third alternative.
  await chat.setNumber('seed', 7)
  await chat.setNumber('temperature', 1.3)
  await chat.lastAssistant().getByTestId('regenerate').click()
  await chat.waitFinished()
  const stats = chat.lastAssistant().getByTestId('message-stats')
  await expect(stats).toContainText('seed 7')
  await expect(stats).toContainText('T 1.3')
  await expect(stats).toContainText('tok/s')
  await expect(stats).toContainText('first token')
  await expect(chat.lastAssistant().getByTestId('alt-position')).toHaveText('2/2')

  // Reload: the session, both branches with their alternatives, and the stats are there.
  await page.reload()
  // The sidebar fills in after the page loads: read the titles once it has.
  await expect(page.getByTestId('session-title').first()).toBeVisible()
  await app.select((await app.titles())[0])
  await expect(chat.user).toHaveCount(1)
  await expect(chat.user.first().getByTestId('alt-position')).toHaveText('2/2')
  await expect(chat.lastAssistant().getByTestId('message-stats')).toContainText('seed 7')
  // The first message is above a long answer: scroll up to it, as a reader would.
  await page.getByTestId('message-list').evaluate((el) => el.scrollTo(0, 0))
  await chat.user.first().getByTestId('alt-prev').click()
  await expect(chat.user.first().getByTestId('message-body')).toHaveText('Hello there')
  await expect(chat.lastAssistant().getByTestId('alt-position')).toHaveText('2/2')
  await chat.lastAssistant().getByTestId('alt-prev').click()
  await expect(chat.lastAssistant().getByTestId('message-status')).toHaveText('stopped')
  await expect(chat.lastAssistant().getByTestId('message-stats')).toContainText('tokens')
})
