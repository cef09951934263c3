import WebSocket from 'ws'
import { test, expect } from './fixtures'
import { AppPage } from './pages/appPage'

const COUNT = 5000

/** Writes messages straight through the API (pipelined frames), as a long chat would hold. */
async function seedLongChat(url: string): Promise<void> {
  const ws = new WebSocket(url.replace('http://', 'ws://').replace('/?token=', '/api?token='))
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject))
  const replies = new Map<number, { ok: boolean }>()
  let done: () => void
  const allDone = new Promise<void>((resolve) => (done = resolve))
  ws.on('message', (data) => {
    const frame = JSON.parse(String(data))
    if (typeof frame.id !== 'number') return
    replies.set(frame.id, frame)
    if (replies.size === COUNT + 1) done()
  })
  ws.send(JSON.stringify({ id: 0, method: 'sessions.create', input: { title: 'Long chat' } }))
  for (let i = 0; i < COUNT; i++) {
    // Every 10th message has code and a list: the heights differ, as in a real chat.
    const content =
      i % 10 === 0
        ? `Message ${i}\n\n\`\`\`python\nfor k in range(${i}):\n    print(k)\n\`\`\`\n\n- one\n- two`
        : i === 1234
          ? 'Message 1234 mentions a zebra once.'
          : `Message ${i}: ${'some words '.repeat(1 + (i % 17))}`
    ws.send(JSON.stringify({ id: i + 1, method: 'messages.add', input: { sessionId: 1, content } }))
  }
  await allDone
  ws.close()
  expect([...replies.values()].every((r) => r.ok)).toBe(true)
}

test('a chat of 5,000 messages renders only what is on screen and stays usable', async ({
  page,
  host,
}) => {
  await seedLongChat(host.url)
  const app = new AppPage(page)
  await app.open(host.url)
  const started = Date.now()
  await app.select('Long chat')
  const list = page.getByTestId('message-list')
  // Opens at the end.
  await expect(app.messages.last()).toContainText(`Message ${COUNT - 1}`)
  console.log(`5,000-message chat: last message on screen after ${Date.now() - started} ms`)
  const rendered = await app.messages.count()
  expect(rendered).toBeGreaterThan(3)
  expect(rendered).toBeLessThan(150)

  // Scroll to the top: the first messages appear, still only a window of them in the DOM.
  await list.evaluate((el) => (el.scrollTop = 0))
  await expect(app.messages.first()).toContainText('Message 0')
  await expect(app.messages.first().locator('pre code.hljs')).toContainText('range(0)')
  expect(await app.messages.count()).toBeLessThan(150)

  // Jump to the middle.
  await list.evaluate((el) => (el.scrollTop = el.scrollHeight / 2))
  await expect(app.messages.filter({ hasText: /Message 2\d\d\d/ }).first()).toBeVisible()

  // A content search hit opens the chat at the message that matched.
  await app.search.fill('zebra')
  await expect(app.sessionItems.first().getByTestId('session-snippet')).toContainText('zebra')
  await app.sessionItems.first().getByTestId('session-title').click()
  const hit = page.locator('[data-testid="message"][data-message-id="1235"]')
  await expect(hit).toBeInViewport()
  await expect(hit).toHaveClass(/message-focused/)
  await expect(hit).toContainText('zebra')
  await app.search.fill('')

  // Writing still works and follows to the end.
  await list.evaluate((el) => (el.scrollTop = el.scrollHeight))
  await app.write('the 5,001st message')
  await expect(app.messages.last()).toContainText('the 5,001st message')
})
