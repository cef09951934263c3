import { execFileSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { expect, test } from './fixtures'
import { SpacePage } from './pages/spacePage'

test('the word space: search "king", neighbours, a drawn canvas that turns, an analogy', async ({
  page,
  host,
}) => {
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

test('the context view draws one path per sentence', async ({ page, host }) => {
  // The shipped default model is not in this branch yet: a tiny random-weight fixture model
  // (written by native-models) has the same shape, and the paths do not depend on training.
  const modelDir = mkdtempSync(join(tmpdir(), 'glassbox-space-model-'))
  // Written under tsx: Playwright's own transform cannot load native-models' ESM-only io code.
  const root = resolve(__dirname, '..')
  execFileSync(
    join(root, 'node_modules', '.bin', 'tsx'),
    [
      '-e',
      `import { writeFixtureModel } from './native-models/io/fixture'
       writeFixtureModel(process.argv[1], { arch: 'llama', preset: 'tiny' })`,
      modelDir,
    ],
    { cwd: root, stdio: 'inherit' },
  )
  await page.goto(host.url)
  const space = new SpacePage(page)
  await space.open()
  await space.openContext()
  const sentences = [
    'We sat on the bank of the river.',
    'She went to the bank to borrow money.',
    'The bank raised its rates.',
  ]
  await space.runContext('bank', sentences, modelDir)
  await expect(page.getByTestId('context-path')).toHaveCount(sentences.length, { timeout: 60_000 })
  // The slider moves the paths: at layer 0 every sentence sits at the same embedding.
  const slider = page.getByTestId('context-layer')
  await slider.fill('0')
  await expect(page.getByTestId('context-path').first().locator('circle')).toHaveCount(1)
})
