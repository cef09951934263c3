import { SHIPPED_MODEL, expect, test } from './fixtures'
import { AppPage } from './pages/appPage'
import { InsidePage } from './pages/insidePage'

const background = (page: import('@playwright/test').Page) =>
  page.evaluate(`getComputedStyle(document.body.parentElement).backgroundColor`)

test('the theme follows the OS, a switch overrides it, and the choice survives a reload', async ({
  page,
  host,
}) => {
  await page.emulateMedia({ colorScheme: 'light' })
  const app = new AppPage(page)
  await app.open(host.url)
  const switcher = page.getByTestId('theme-switch')
  await expect(switcher).toHaveAttribute('role', 'combobox')
  await expect(switcher).toHaveAttribute('data-value', 'system')
  const light = await background(page)
  await page.emulateMedia({ colorScheme: 'dark' })
  await expect.poll(() => background(page)).not.toBe(light)
  const dark = await background(page)

  // Chosen with the keyboard: open, down to "light", Enter.
  await switcher.focus()
  await switcher.press('ArrowDown')
  await expect(page.getByRole('listbox')).toBeVisible()
  await switcher.press('ArrowDown')
  await switcher.press('Enter')
  await expect(switcher).toHaveAttribute('data-value', 'light')
  await expect.poll(() => background(page)).toBe(light)

  await page.reload()
  await expect(app.sidebar).toBeVisible()
  await expect(page.getByTestId('theme-switch')).toHaveAttribute('data-value', 'light')
  expect(await background(page)).toBe(light) // still light though the OS is dark

  // Escape closes without choosing; a typed letter and End move the active option.
  const theme = page.getByTestId('theme-switch')
  await theme.press('Enter')
  await theme.press('End')
  await theme.press('Escape')
  await expect(page.getByRole('listbox')).toHaveCount(0)
  await expect(theme).toHaveAttribute('data-value', 'light')
  await theme.press('Enter')
  await theme.press('t') // "Theme: …" — every label starts with it; the next one after light
  await expect(theme).toHaveAttribute('aria-activedescendant', /-2$/)
  await theme.press('Home')
  await expect(theme).toHaveAttribute('aria-activedescendant', /-0$/)
  await theme.press('End')
  await theme.press('Enter')
  await expect(theme).toHaveAttribute('data-value', 'dark')
  await expect.poll(() => background(page)).toBe(dark)

  // The tool tabs are drawn on the same page colour as Chat, in either theme.
  for (const [tab, view] of [
    ['models', 'view-models'],
    ['train', 'view-train'],
    ['hardware', 'view-hardware'],
  ]) {
    await page.getByTestId(`tab-${tab}`).click()
    const el = page.getByTestId(view)
    await expect(el).toBeVisible()
    const colour = await el.evaluate(
      // Runs in the page; this file is type-checked without the DOM library.
      (e) =>
        (
          globalThis as unknown as { getComputedStyle(x: unknown): { backgroundColor: string } }
        ).getComputedStyle(e).backgroundColor,
    )
    expect(colour).toBe(dark)
  }
})

test('a code block in a chat message has a copy button that copies its code', async ({
  page,
  host,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], {
    origin: new URL(host.url).origin,
  })
  const app = new AppPage(page)
  await app.open(host.url)
  await app.write('Some code:\n\n```ts\nconst answer: number = 42\n```')
  const block = app.messages.first().locator('pre.code-block')
  await expect(block.locator('code')).toContainText('const answer')
  const copy = block.getByTestId('code-copy')
  await expect(copy).toBeVisible()
  await copy.click()
  await expect(copy).toHaveText('Copied')
  expect(await page.evaluate('navigator.clipboard.readText()')).toBe('const answer: number = 42')
})

test.describe('with the shipped default model', () => {
  test.use({ defaultModel: SHIPPED_MODEL })

  test('Inside has no stray marker: the legend sample stays in its legend line', async ({
    page,
    host,
  }) => {
    const app = new AppPage(page)
    await app.open(host.url)
    await app.newSession()
    await app.write('And God said unto Moses')
    const inside = new InsidePage(page)
    await inside.open()
    await inside.pickMessage('user')
    const bars = page.getByTestId('contribution-bars')
    await expect(bars).toBeVisible({ timeout: 60_000 })
    const mark = await bars.locator('.legend .swatch.here').boundingBox()
    const legend = await bars.locator('.legend').boundingBox()
    expect(mark && legend).toBeTruthy()
    expect(mark!.y).toBeGreaterThanOrEqual(legend!.y)
    expect(mark!.y + mark!.height).toBeLessThanOrEqual(legend!.y + legend!.height)
  })
})
