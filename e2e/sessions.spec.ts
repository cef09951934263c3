import fs from 'node:fs'
import { test, expect } from './fixtures'
import { AppPage } from './pages/appPage'

test('sessions: create, rename, search by title and content, delete', async ({ page, host }) => {
  const app = new AppPage(page)
  await app.open(host.url)
  await expect(page.getByTestId('sessions-empty')).toBeVisible()

  await app.newSession()
  await app.rename('New chat', 'Cooking notes')
  await app.write('How long do I boil an egg?')
  await app.newSession()
  await app.rename('New chat', 'Physics')
  await app.write('What is **entropy**?')
  await app.newSession()
  await app.rename('New chat', 'Empty one')

  // Newest first.
  await expect(page.getByTestId('session-title')).toHaveText([
    'Empty one',
    'Physics',
    'Cooking notes',
  ])

  // Title search (substring, any case).
  await app.search.fill('phys')
  await expect(app.sessionItems).toHaveCount(1)
  await expect(app.session('Physics')).toHaveCount(1)

  // Content search (word prefix), with a snippet of the match.
  await app.search.fill('boil')
  await expect(app.sessionItems).toHaveCount(1)
  await expect(app.session('Cooking notes').getByTestId('session-snippet')).toContainText('boil')

  await app.search.fill('nothing-like-this')
  await expect(page.getByTestId('sessions-empty')).toHaveText('No chat matches this search.')
  await app.search.fill('')
  await expect(app.sessionItems).toHaveCount(3)

  await app.remove('Physics')
  await expect(page.getByTestId('session-title')).toHaveText(['Empty one', 'Cooking notes'])
  await app.search.fill('entropy')
  await expect(page.getByTestId('sessions-empty')).toBeVisible()
})

test('messages: Enter sends, Shift+Enter is a new line, Markdown and code render', async ({
  page,
  host,
}) => {
  const app = new AppPage(page)
  await app.open(host.url)
  await expect(page.getByTestId('no-model-notice')).toContainText('No model is loaded')

  // Writing without a chat open starts one.
  await app.composer.fill('First line')
  await app.composer.press('Shift+Enter')
  await app.composer.pressSequentially('second line')
  await expect(app.composer).toHaveValue('First line\nsecond line')
  await app.composer.press('Enter')
  await expect(app.messages).toHaveCount(1)
  await expect(app.sessionItems).toHaveCount(1)
  await expect(app.messages.first().getByTestId('message-body')).toContainText('second line')

  await app.write('Some code:\n\n```ts\nconst answer: number = 42\n```')
  const code = app.messages.nth(1).locator('pre code.hljs')
  await expect(code).toContainText('const answer')
  await expect(code.locator('.hljs-keyword').first()).toHaveText('const')

  // Model output is untrusted text: scripts never run, markup is cleaned.
  await app.write('<img src=x onerror="document.body.dataset.pwned=1"> <script>alert(1)</script>')
  await expect(page.locator('body')).not.toHaveAttribute('data-pwned', '1')
  await expect(app.messages.nth(2).locator('script')).toHaveCount(0)
})

test('everything is still there after a reload and a host restart', async ({ page, host }) => {
  const app = new AppPage(page)
  await app.open(host.url)
  await app.newSession()
  await app.rename('New chat', 'Keep me')
  await app.write('message one')
  await app.write('message two')
  await app.newSession()
  await app.rename('New chat', 'Me too')
  await app.write('message three')

  // Export downloads the chat as Markdown.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('export-md').click(),
  ])
  expect(download.suggestedFilename()).toBe('Me-too.md')
  const markdown = fs.readFileSync(await download.path(), 'utf8')
  expect(markdown).toMatch(/^# Me too\n/)
  expect(markdown).toContain('message three')

  await page.reload()
  await expect(app.sessionItems).toHaveCount(2)
  await app.select('Keep me')
  await expect(app.messages).toHaveText([/message one/, /message two/])

  const oldUrl = host.url
  await host.restart()
  expect(host.url).not.toBe(oldUrl)
  await app.open(host.url)
  await expect(page.getByTestId('session-title')).toHaveText(['Me too', 'Keep me'])
  await app.select('Keep me')
  await expect(app.messages).toHaveText([/message one/, /message two/])
  await app.select('Me too')
  await expect(app.messages).toHaveText([/message three/])
})

test('a page without the token is refused and says why', async ({ page, host }) => {
  const url = new URL(host.url)
  const response = await page.goto(`${url.origin}/`)
  expect(response?.status()).toBe(401)
  await expect(page.locator('body')).toContainText('needs its token')

  const wrong = await page.goto(`${url.origin}/?token=wrong`)
  expect(wrong?.status()).toBe(401)
})

test('a bad request shows a typed error and the app keeps working', async ({ page, host }) => {
  const app = new AppPage(page)
  await app.open(host.url)
  await app.newSession()
  // The contract refuses an all-space title; the page shows the typed error.
  const row = app.session('New chat')
  await row.hover()
  await row.getByTestId('session-rename').click()
  await page.getByTestId('session-rename-input').fill('   ')
  await page.getByTestId('session-rename-input').press('Enter')
  const toast = page.getByTestId('error-toast')
  // In words: the code is kept for tests, not shown (issue 19).
  await expect(toast).toHaveAttribute('data-code', 'bad_request')
  await expect(toast).not.toContainText('bad_request')
  await expect(toast).toContainText('a title cannot be empty')
  await expect(app.session('New chat')).toHaveCount(1)
  // A raw malformed frame from the page itself: the host answers with a typed error.
  const reply = await page.evaluate(
    async (wsUrl) => {
      const ws = new WebSocket(wsUrl)
      await new Promise((resolve) => (ws.onopen = resolve))
      const answer = new Promise<string>(
        (resolve) => (ws.onmessage = (m) => resolve(String(m.data))),
      )
      ws.send('{"id": 1, "method": 42}')
      const text = await answer
      ws.close()
      return text
    },
    host.url.replace('http://', 'ws://').replace('/?token=', '/api?token='),
  )
  expect(JSON.parse(reply)).toMatchObject({ id: 1, ok: false, error: { code: 'bad_request' } })
  await app.write('still working')
  // A chat still called "New chat" takes the name of its first message.
  await expect(app.session('still working')).toHaveCount(1)
  await expect(app.chatTitle).toHaveText('still working')
})

test('two windows on one host stay in step through events', async ({ page, context, host }) => {
  const a = new AppPage(page)
  const b = new AppPage(await context.newPage())
  await a.open(host.url)
  await b.open(host.url)
  await a.newSession()
  await a.rename('New chat', 'Shared')
  await expect(b.session('Shared')).toHaveCount(1)
  await b.select('Shared')
  await a.write('typed in window A')
  await expect(b.messages).toHaveText([/typed in window A/])
  // Deleted in A: B closes it too.
  await a.remove('Shared')
  await expect(b.sessionItems).toHaveCount(0)
  await expect(b.chatTitle).toHaveText('Glassbox')
})
