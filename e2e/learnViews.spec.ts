import { SHIPPED_MODEL, test, expect } from './fixtures'
import { LearnViewsPage } from './pages/learnViewsPage'
import { chooseOption } from './pages/select'

// The Learn tour's word2vec and feed-forward chapters on their own addresses, on a host with
// the shipped model and corpus, as a fresh install has them.
test.use({ defaultModel: SHIPPED_MODEL })

test('word2vec trains on the shipped corpus: the loss falls, words move, neighbours show', async ({
  page,
  host,
}, testInfo) => {
  const learn = new LearnViewsPage(page)
  await learn.open(host.url, 'word2vec')
  // The default run (1,500 steps, seed 1): its analogy below is known to land.
  await learn.train(1500)
  const { first, last, steps } = await learn.losses()
  expect(steps).toBe(1500)
  expect(first).toBeGreaterThan(4)
  expect(last).toBeLessThan(first * 0.85)
  await expect(page.getByTestId('w2v-loss-chart')).toHaveAttribute('data-points', '1500')
  await expect(page.getByTestId('w2v-plot')).not.toHaveAttribute('data-words', '0')
  // Neighbours of the preset word, then of another one typed in.
  await expect(learn.neighbours).toHaveCount(10)
  await page.getByTestId('w2v-query').fill('sheep')
  await expect(learn.neighbours).toHaveCount(10)
  await expect(learn.neighbours.first()).not.toContainText('sheep')
  await expect(page.getByTestId('w2v-saved')).toContainText('vectors.tsv')
  // flocks − sheep + cattle: the word for a group of cattle.
  await expect(page.getByTestId('w2v-analogy-answer').first()).toHaveText('herds')
  expect(await learn.overflowing()).toEqual([])
  await page.screenshot({ path: testInfo.outputPath('word2vec.png'), fullPage: true })
})

test('the feed-forward view lists top neurons and the tokens they promote', async ({
  page,
  host,
}, testInfo) => {
  const learn = new LearnViewsPage(page)
  await learn.open(host.url, 'ffn')
  await expect(learn.neurons).toHaveCount(8, { timeout: 60_000 })
  await expect(learn.promoted).toHaveCount(8 * 6)
  await expect(page.getByTestId('ffn-layer-bars').locator('button')).toHaveCount(4)
  const table = page.getByTestId('ffn-neurons')
  await expect(table).toHaveAttribute('data-layer', '0')
  // Another layer, then an earlier position: the reading follows both.
  await chooseOption(page.getByTestId('ffn-layer'), '3')
  await expect(table).toHaveAttribute('data-layer', '3')
  await page.getByTestId('ffn-token-1').click()
  await expect(table).toHaveAttribute('data-position', '1')
  await expect(page.getByTestId('ffn-token-1')).toHaveClass(/selected/)
  await expect(learn.neurons).toHaveCount(8)
  await expect(learn.promoted.first()).not.toBeEmpty()
  expect(await learn.overflowing()).toEqual([])
  await page.screenshot({ path: testInfo.outputPath('feed-forward.png'), fullPage: true })
})

test('both chapters in 简体中文: translated, trained, read, nothing clipped', async ({
  page,
  host,
}, testInfo) => {
  const learn = new LearnViewsPage(page)
  await learn.useLanguage('zh-CN')
  await learn.open(host.url, 'word2vec')
  await expect(page.getByRole('heading', { level: 2 })).toHaveText('学习词向量')
  // The learner's own file: the Thousand Character Classic's opening, split into characters.
  await chooseOption(page.getByTestId('w2v-corpus'), 'text')
  const verses = '天地玄黄，宇宙洪荒。日月盈昃，辰宿列张。寒来暑往，秋收冬藏。'
  await page.getByTestId('w2v-files').setInputFiles({
    name: 'qianziwen.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from(verses.repeat(40)),
  })
  await expect(page.getByTestId('w2v-text')).toHaveValue(/^天地玄黄/)
  await learn.train(60)
  await expect(learn.status).toContainText('已训练 60 步')
  await expect(learn.status).toContainText('词表 24 个')
  await expect(learn.neighbours).toHaveCount(10)
  expect(await learn.overflowing()).toEqual([])
  await page.screenshot({ path: testInfo.outputPath('word2vec-zh.png'), fullPage: true })

  await learn.open(host.url, 'ffn')
  await expect(page.getByRole('heading', { level: 2 })).toHaveText('前馈网络层')
  await expect(learn.neurons).toHaveCount(8, { timeout: 60_000 })
  await expect(page.getByRole('columnheader').first()).toHaveText('神经元')
  expect(await learn.overflowing()).toEqual([])
  await page.screenshot({ path: testInfo.outputPath('feed-forward-zh.png'), fullPage: true })
})
