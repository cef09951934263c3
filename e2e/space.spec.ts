import { expect, SHIPPED_MODEL, test } from './fixtures'
import { sharedGloveCache } from './support/gloveCache'
import { AppPage } from './pages/appPage'
import { SpacePage } from './pages/spacePage'

const seedCache = sharedGloveCache()

test('the word space: search "king", neighbours, a drawn canvas that turns, an analogy', async ({
  page,
  host,
}) => {
  test.setTimeout(240_000) // PCA over 341k points on a busy 2-core machine
  seedCache(host.dataDir)
  await page.goto(host.url)
  const space = new SpacePage(page)
  await space.open()
  await space.waitForPoints()

  await space.search('king')
  const neighbours = await space.neighbourWords()
  expect(neighbours.length).toBeGreaterThanOrEqual(10)
  expect(neighbours).toContain('queen')

  // Non-blank: the 341k points give the canvas many colours, not just the background.
  expect(await space.distinctColours()).toBeGreaterThan(20)
  const before = await space.canvas.screenshot()
  await space.rotate(6)
  const after = await space.canvas.screenshot()
  expect(after.equals(before)).toBe(false)

  const answers = await space.analogy('king', 'man', 'woman')
  expect(answers.slice(0, 5)).toContain('queen')
})

test.describe('with the shipped default model', () => {
  test.use({ defaultModel: SHIPPED_MODEL })

  test('the context view draws one path per sentence', async ({ page, host }) => {
    await page.goto(host.url)
    const space = new SpacePage(page)
    await space.open()
    await space.openContext()
    const sentences = [
      'We sat on the bank of the river.',
      'She went to the bank to borrow money.',
      'The bank raised its rates.',
    ]
    await space.runContext('bank', sentences, '')
    await expect(page.getByTestId('context-path')).toHaveCount(sentences.length, {
      timeout: 60_000,
    })
    // The slider moves the paths: at layer 0 every sentence sits at the same embedding.
    const slider = page.getByTestId('context-layer')
    await slider.fill('0')
    await expect(page.getByTestId('context-path').first().locator('circle')).toHaveCount(1)
  })
})

test('the space comes back with its session after a restart', async ({ page, host }) => {
  test.setTimeout(300_000) // two GloVe opens (PCA again after the restart)
  seedCache(host.dataDir)
  const app = new AppPage(page)
  await app.open(host.url)
  await app.newSession()
  const title = (await app.titles())[0]
  const space = new SpacePage(page)
  await space.open()
  await space.chooseSession(title)
  await space.waitForPoints()
  await space.search('frog')
  expect(await space.neighbourWords()).toContain('toad')
  await space.rotate(3)
  await page.waitForTimeout(1500) // the view saves a second after it settles
  const saved = await space.thumbnail()

  await host.restart()
  await app.open(host.url)
  await space.open()
  await space.chooseSession(title)
  await space.waitForPoints()
  await expect.poll(() => space.selectedWord()).toBe('frog')
  // The saved state has been read now; anything it set off (a new projection) ends first.
  await space.waitForPoints()
  expect(await space.neighbourWords()).toContain('toad')
  // Same camera: the restored picture matches the saved one far better than a turned view.
  await page.waitForTimeout(500)
  const restored = await space.thumbnail()
  await space.rotate(3)
  const turned = await space.thumbnail()
  const diff = (a: number[], b: number[]) => a.reduce((s, v, i) => s + Math.abs(v - b[i]), 0)
  console.log(
    `restored differs by ${diff(saved, restored)}, a turned view by ${diff(saved, turned)}`,
  )
  expect(diff(saved, restored)).toBeLessThan(diff(saved, turned) / 4)

  // The chat pane beside the space: a message's words shown in the space.
  await app.write('Frogs and toads live near the pond.')
  await page.getByTestId('space-show-chat-words').click()
  await expect.poll(() => space.selectedWord()).toBe('frogs')
  await expect(page.locator('.space-labels')).toContainText('toads')
})
