import { join, resolve } from 'node:path'
import type { Page } from '@playwright/test'
import en from '../renderer/src/i18n/en/learn'
import zh from '../renderer/src/i18n/zh-CN/learn'
import { expect, SHIPPED_MODEL, test } from './fixtures'
import { sharedGloveCache } from './support/gloveCache'
import { chooseOption } from './pages/select'
import { SpacePage } from './pages/spacePage'
import { expectNoOverflow } from './support/learnOverflow'

const root = resolve(__dirname, '..')
// Screenshots of chapters, for a person checking the layout; with LEARN_README_SHOTS=1 the
// README's two are written into docs/learn/ as well.
const SHOTS = join(root, 'test-results', 'learn')
const README_SHOTS: Record<string, string> = {
  'en-2-analogy': 'learn-en.png',
  'zh-CN-4-context': 'learn-zh-CN.png',
}

const seedCache = sharedGloveCache()

type Texts = typeof en | typeof zh

async function openChapter(page: Page, n: number, texts: Texts, key: keyof Texts): Promise<void> {
  await page.getByTestId(`learn-chapter-${n}`).click()
  await expect(page.getByTestId('learn')).toHaveAttribute('data-chapter', String(n))
  const title = (texts[key] as { title: string }).title
  await expect(page.getByTestId('learn-title')).toHaveText(title)
  await expect(page).toHaveURL(new RegExp(`[?&]learn=${n}(&|$)`))
}

async function shot(page: Page, name: string): Promise<void> {
  // Chinese glyphs come from a web font loaded per character range as text appears.
  await page.evaluate('document.fonts.ready')
  await page.screenshot({ path: join(SHOTS, `${name}.png`) })
  if (process.env.LEARN_README_SHOTS === '1' && README_SHOTS[name]) {
    await page.screenshot({ path: join(root, 'docs', 'learn', README_SHOTS[name]) })
  }
}

/** Walks all ten chapters in one language, checking what each one shows. */
async function walk(page: Page, lang: 'en' | 'zh-CN', texts: Texts): Promise<void> {
  const words = (testId: string) => page.getByTestId(testId).locator('.word').allTextContents()

  // 1: the word space around "king", drawn.
  await openChapter(page, 1, texts, 'words')
  await expect(page.getByTestId('space-explained')).toBeVisible({ timeout: 180_000 })
  await expect(page.getByTestId('space-neighbours-item').first()).toBeVisible({ timeout: 60_000 })
  expect(await words('space-neighbours-item')).toContain('queen')
  await expect
    .poll(() => new SpacePage(page).distinctColours(), { timeout: 30_000 })
    .toBeGreaterThan(20)
  await expectNoOverflow(page)
  await shot(page, `${lang}-1-words`)
  await page.getByTestId('learn-try').click()
  await expect(page.getByTestId('space-neighbours')).toContainText('paris', { timeout: 60_000 })
  await expect(page.getByTestId('space-neighbours-item').first()).toBeVisible({ timeout: 60_000 })
  expect(await words('space-neighbours-item')).toEqual(
    expect.arrayContaining([expect.stringMatching(/^(london|rome|france|berlin|brussels)$/)]),
  )

  // 2: king − man + woman's first answer, then Paris − France + Italy.
  await openChapter(page, 2, texts, 'analogy')
  await expect(page.getByTestId('space-analogy-results-item').first()).toBeVisible({
    timeout: 120_000,
  })
  expect((await words('space-analogy-results-item')).slice(0, 3)).toContain('queen')
  await expectNoOverflow(page)
  await shot(page, `${lang}-2-analogy`)
  await page.getByTestId('learn-try').click()
  await expect(page.getByTestId('space-analogy-a')).toHaveValue('paris')
  await expect(page.getByTestId('space-analogy-results-item').first()).toBeVisible({
    timeout: 120_000,
  })
  expect((await words('space-analogy-results-item')).slice(0, 3)).toContain('rome')

  // 3: word2vec, trained in the chapter (its runs are tested in learnViews.spec.ts).
  await openChapter(page, 3, texts, 'word2vec')
  await expect(page.getByTestId('word2vec-chapter')).toBeVisible()
  await expect(page.getByTestId('w2v-train')).toBeEnabled()
  await expectNoOverflow(page)

  // 4: the bank sentences' paths, and the plain word that the shipped model is too small.
  await openChapter(page, 4, texts, 'context')
  await expect(page.getByTestId('learn-small-model')).toHaveText(texts.context.small)
  // The text names the view's button as the button itself reads.
  const runLabel = ((await page.getByTestId('context-run').textContent()) ?? '').trim()
  await expect(page.getByTestId('learn-text')).toContainText(`“${runLabel}”`)
  await page.getByTestId('context-run').click()
  await expect(page.getByTestId('context-path')).toHaveCount(3, { timeout: 60_000 })
  await expectNoOverflow(page)
  await shot(page, `${lang}-4-context`)
  await page.getByTestId('learn-try').click()
  await expect(page.getByTestId('context-word')).toHaveValue('light')
  await page.getByTestId('context-run').click()
  await expect(page.getByTestId('context-path')).toHaveCount(2, { timeout: 60_000 })

  // 5: the previous-token head, found in the weights, opened in the attention view.
  await openChapter(page, 5, texts, 'attention')
  const previous = page.getByTestId('learn-previous-head')
  await expect(previous).toBeVisible({ timeout: 60_000 })
  await expect(page.getByTestId('learn-first-head')).toContainText('%')
  const [layer = '?', head = '?'] = ((await previous.textContent()) ?? '').match(/\d+/g) ?? []
  await page.getByTestId('learn-try').click()
  await expect(page.getByTestId('layer-select')).toHaveAttribute('data-value', layer)
  await expect(page.getByTestId('head-select')).toHaveAttribute('data-value', head)
  await expect(page.getByTestId('head-view')).toBeVisible()
  await expectNoOverflow(page)
  await shot(page, `${lang}-5-attention`)

  // 6: the feed-forward neurons of the shipped model and the tokens they promote.
  await openChapter(page, 6, texts, 'feedForward')
  await expect(page.getByTestId('ffn-neuron').first()).toBeVisible({ timeout: 60_000 })
  await expect(page.getByTestId('ffn-promoted').first()).not.toBeEmpty()
  await expectNoOverflow(page)

  // 7: the next-token guess with its probability, the bars and the logit lens.
  await openChapter(page, 7, texts, 'nextWord')
  const guess = page.getByTestId('learn-top-guess')
  await expect(guess).toContainText(/\d+\.\d%/, { timeout: 60_000 })
  await expect(page.getByTestId('prediction-bars')).toBeVisible()
  await expect(page.getByTestId('lens-table')).toBeVisible()
  // The bars are at the last position, so the chapter's number is the first bar's.
  const prob = ((await guess.textContent()) ?? '').match(/\d+\.\d%/)?.[0]
  await expect(page.getByTestId('alternative-0').locator('.prob')).toHaveText(prob ?? '?')
  await expectNoOverflow(page)
  await shot(page, `${lang}-7-next-word`)
  await page.getByTestId('learn-try').click()
  await expect(guess).toContainText('Let there be', { timeout: 60_000 })

  // 8: an untrained model learns the rhyme; the loss falls far, and its writing changes.
  await openChapter(page, 8, texts, 'training')
  await expect(page.getByTestId('learn-scratch-model')).toBeVisible({ timeout: 30_000 })
  await expect(page.getByTestId('model-dir')).toHaveValue(/scratch-medium$/)
  await expect(page.getByTestId('file-row')).toHaveAttribute('data-status', 'accepted', {
    timeout: 30_000,
  })
  await expect(page.getByTestId('max-steps')).toHaveValue('200')
  const startLabel = ((await page.getByTestId('start-run').textContent()) ?? '').trim()
  await expect(page.getByTestId('learn-text')).toContainText(`“${startLabel}”`)
  await page.getByTestId('start-run').click()
  await expect(page.getByTestId('run-progress')).toHaveAttribute('data-status', 'finished', {
    timeout: 240_000,
  })
  const loss = page.getByTestId('learn-loss')
  await expect(loss).toContainText('200')
  const first = Number(await loss.getAttribute('data-first'))
  const last = Number(await loss.getAttribute('data-last'))
  expect(first).toBeGreaterThan(7) // about ln 4096 ≈ 8.3: a blind guess
  expect(last).toBeLessThan(first - 3)
  await page.getByTestId('compare-prompt').fill('Twinkle, twinkle,')
  await page.getByTestId('compare-run').click()
  await expect(page.getByTestId('compare-tuned')).toContainText(/star|little|wonder|twinkle/, {
    timeout: 60_000,
  })
  await page.getByTestId('loss-chart').scrollIntoViewIfNeeded()
  await expectNoOverflow(page)
  await shot(page, `${lang}-8-training`)

  // 9: the model in use's parameter count; three sizes trained alike, curves side by side.
  await openChapter(page, 9, texts, 'scale')
  const params = page.getByTestId('learn-params')
  await expect(params).toBeVisible({ timeout: 30_000 })
  expect(Number(await params.getAttribute('data-count'))).toBeGreaterThan(1_000_000)
  await expect(page.getByTestId('learn-try')).toBeEnabled({ timeout: 30_000 })
  await expect(page.getByTestId('learn-scale-large').locator('figcaption')).toHaveText(
    texts.scale.curve
      .replace('{{size}}', texts.scale.sizes.large)
      .replace('{{params}}', new Intl.NumberFormat(lang).format(1_180_800)),
  )
  // Training is the same in either language: three runs once are enough (about 1.5 min).
  if (lang === 'en') {
    await page.getByTestId('learn-try').click()
    const final = async (size: string) => {
      const figure = page.getByTestId(`learn-scale-${size}`)
      await expect(figure).toHaveAttribute('data-steps', '150', { timeout: 240_000 })
      return Number(await figure.getAttribute('data-last'))
    }
    const small = await final('small')
    const medium = await final('medium')
    const large = await final('large')
    expect(large).toBeLessThan(small)
    expect(Math.min(small, medium, large)).toBeGreaterThan(0)
    await expect(page.getByTestId('learn-try')).toBeEnabled({ timeout: 30_000 })
  }
  await expectNoOverflow(page)
  await shot(page, `${lang}-9-scale`)

  // 10: the false-belief prompt, sent, answered, then looked at from inside.
  await openChapter(page, 10, texts, 'understand')
  await expect(page.getByTestId('learn-prompt')).toHaveText(texts.understand.prompt)
  const composer = page.getByTestId('composer-input')
  await expect(composer).toHaveValue(texts.understand.prompt)
  await expectNoOverflow(page)
  await composer.press('Enter')
  const answer = page.locator('[data-testid="message"][data-role="assistant"]').last()
  await expect(answer).toBeVisible({ timeout: 30_000 })
  await expect(answer).not.toHaveAttribute('data-status', 'streaming', { timeout: 120_000 })
  await page.getByTestId('learn-try').click()
  await expect(page.getByTestId('inside-meta')).toBeVisible({ timeout: 60_000 })
  await shot(page, `${lang}-10-understand`)
}

test.describe('the Learn tab on the shipped model', () => {
  test.use({ defaultModel: SHIPPED_MODEL })

  test('walks every chapter in English and in 简体中文', async ({ page, host }) => {
    test.setTimeout(900_000)
    seedCache(host.dataDir)
    await page.goto(`${host.url}&learn=1`)
    await chooseOption(page.getByTestId('language-switch'), 'en')
    await walk(page, 'en', en)
    await chooseOption(page.getByTestId('language-switch'), 'zh-CN')
    await expect(page.getByTestId('tab-learn')).toHaveText('学习')
    await walk(page, 'zh-CN', zh)
  })

  test('a chapter link opens it; progress survives a reload and a restart', async ({
    page,
    host,
  }) => {
    test.setTimeout(180_000)
    await page.goto(`${host.url}&learn=9`)
    await chooseOption(page.getByTestId('language-switch'), 'en')
    await expect(page.getByTestId('learn-title')).toHaveText(en.scale.title)

    await page.getByTestId('learn-chapter-3').click()
    await page.getByTestId('learn-mark-done').check()
    await page.getByTestId('learn-next').click()
    await expect(page.getByTestId('learn-title')).toHaveText(en.context.title)
    await page.getByTestId('learn-mark-done').check()
    await expect(page.getByTestId('learn-chapter-4')).toHaveAttribute('data-done', 'true')
    // The chapter's way into the full tab (on the shipped model: Models, to add a real one).
    await page.getByTestId('learn-open-tab').click()
    await expect(page.getByTestId('tab-models')).toHaveAttribute('aria-selected', 'true')
    await page.getByTestId('tab-learn').click()
    await expect(page.getByTestId('learn')).toHaveAttribute('data-chapter', '4')

    // The address says chapter 4 now; without it the saved place must bring the learner back.
    await page.goto(host.url)
    await page.getByTestId('tab-learn').click()
    await expect(page.getByTestId('learn')).toHaveAttribute('data-chapter', '4')
    await expect(page.getByTestId('learn-chapter-3')).toHaveAttribute('data-done', 'true')
    await expect(page.getByTestId('learn-mark-done')).toBeChecked()

    await host.restart()
    await page.goto(host.url)
    await page.getByTestId('tab-learn').click()
    await expect(page.getByTestId('learn')).toHaveAttribute('data-chapter', '4')
    await expect(page.getByTestId('learn-chapter-3')).toHaveAttribute('data-done', 'true')
    await expect(page.getByTestId('learn-chapter-1')).toHaveAttribute('data-done', 'false')
    // Leaving the tab takes the chapter out of the address.
    await page.getByTestId('tab-chat').click()
    await expect(page).not.toHaveURL(/[?&]learn=/)
  })
})
