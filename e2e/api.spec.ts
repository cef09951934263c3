import { SHIPPED_MODEL, test, expect } from './fixtures'
import { AppPage } from './pages/appPage'
import { InsidePage } from './pages/insidePage'

// The OpenAI-compatible API turned on in the app, called as another tool would, and the
// conversation it had opened in Chat and Inside (the shipped default model answers).
test.use({ defaultModel: SHIPPED_MODEL })

test('turn the API on, call it, see the conversation in Chat and Inside', async ({
  page,
  host,
}) => {
  const app = new AppPage(page)
  await app.open(host.url)
  await page.getByTestId('tab-api').click()
  const port = page.getByTestId('api-port')
  // Any free port, so parallel runs do not collide on the default.
  await port.fill('0')
  await port.blur()
  // The box shows the server's state, so it turns checked once the server is up.
  await page.getByTestId('api-enabled').click()
  await expect(page.getByTestId('api-enabled')).toBeChecked()
  const url = page.getByTestId('api-url').locator('code')
  await expect(url).toHaveText(/^http:\/\/127\.0\.0\.1:\d+\/v1$/)
  const baseUrl = (await url.textContent())!
  const key = (await page.getByTestId('api-key').textContent())!

  const call = (auth: string) =>
    fetch(`${baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'default',
        messages: [{ role: 'user', content: 'And God said' }],
        max_tokens: 8,
        seed: 1,
      }),
    })
  expect((await call('Bearer wrong')).status).toBe(401)
  const res = await call(`Bearer ${key}`)
  expect(res.status).toBe(200)
  const body = (await res.json()) as { choices: { message: { content: string } }[] }
  expect(body.choices[0].message.content.length).toBeGreaterThan(0)

  await page.getByTestId('tab-chat').click()
  await app.select('API: And God said')
  await expect(app.messages).toHaveCount(2)

  const inside = new InsidePage(page)
  await inside.open()
  await inside.pickMessage('assistant')
  await expect(page.getByTestId('token-0')).toBeVisible()
})
