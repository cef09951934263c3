import { expect, SHIPPED_MODEL, test } from './fixtures'
import { AppPage } from './pages/appPage'
import { ChatPage } from './pages/chatPage'
import { TrainPage } from './pages/trainPage'
import { expectNoOverflow } from './support/overflow'
import { expectNoEnglish } from './support/untranslated'
import { chooseOption } from './pages/select'

const CHINESE = /[\u4e00-\u9fff]/

// At the size a small laptop shows, where a longer translation would first stop fitting.
test.use({ defaultModel: SHIPPED_MODEL, viewport: { width: 1280, height: 800 } })

/** Per tab: its name in Chinese and one heading or button of its view that must read Chinese. */
const TABS = [
  {
    id: 'chat',
    name: '对话',
    view: 'sessions-sidebar',
    text: { testId: 'new-session', is: '+ 新对话' },
  },
  {
    id: 'models',
    name: '模型',
    view: 'view-models',
    text: { testId: 'model-add', is: '添加模型' },
  },
  {
    id: 'space',
    name: '向量空间',
    view: 'space-view',
    text: { testId: 'space-context-tab', is: '上下文' },
  },
  {
    id: 'inside',
    name: '模型内部',
    view: 'inside-view',
    text: { testId: 'inside-run', is: '查看内部' },
  },
  { id: 'train', name: '训练', view: 'view-train', text: { testId: 'plan-run', is: '估算' } },
  {
    id: 'hardware',
    name: '硬件',
    view: 'view-hardware',
    text: { testId: 'hardware-probe', is: '重新检测' },
  },
  { id: 'api', name: 'API', view: 'view-api', text: { testId: 'api-enabled', is: null } },
] as const

test.describe('in an English browser', () => {
  test.use({ locale: 'en-US' })

  test('the switch turns every tab to 简体中文, keeps it across a reload, and back', async ({
    page,
    host,
  }) => {
    test.setTimeout(120_000)
    const app = new AppPage(page)
    await app.open(host.url)
    const html = page.locator('html')
    await expect(html).toHaveAttribute('lang', 'en')
    await expect(page.getByTestId('tab-chat')).toHaveText('Chat')

    await chooseOption(page.getByTestId('language-switch'), 'zh-CN')
    await expect(html).toHaveAttribute('lang', 'zh-CN')
    for (const tab of TABS) {
      const button = page.getByTestId(`tab-${tab.id}`)
      await expect(button).toHaveText(tab.name)
      await button.click()
      const view = page.getByTestId(tab.view)
      await expect(view).toBeVisible()
      if (tab.text.is) await expect(page.getByTestId(tab.text.testId)).toHaveText(tab.text.is)
      // The view's own words, not only the one checked above.
      await expect(view).toContainText(CHINESE)
      await expectNoEnglish(page)
      await expectNoOverflow(page)
      // Kept with the test's results, to look at the layout by eye.
      await page.screenshot({ path: test.info().outputPath(`zh-CN-${tab.id}.png`) })
    }
    // The API tab's heading, whose name stays "API" in the tab bar.
    await expect(page.getByTestId('view-api').locator('h1')).toHaveText('兼容 OpenAI 的 API')

    // A back-end error: the sentence for its code in Chinese, the back end's detail beside it.
    await page.getByTestId('tab-models').click()
    await page.getByTestId('model-path').fill('/nowhere/at-all')
    await page.getByTestId('model-add').click()
    const toast = page.getByTestId('error-toast')
    await expect(toast.locator('.error-summary')).toContainText(CHINESE)
    await expect(toast.locator('.error-detail')).toContainText('/nowhere/at-all')

    await page.reload()
    await expect(page.getByTestId('sessions-sidebar')).toBeVisible()
    await expect(html).toHaveAttribute('lang', 'zh-CN')
    await expect(page.getByTestId('tab-chat')).toHaveText('对话')
    await expect(page.getByTestId('language-switch')).toHaveAttribute('data-value', 'zh-CN')

    await chooseOption(page.getByTestId('language-switch'), 'en')
    await expect(html).toHaveAttribute('lang', 'en')
    await expect(page.getByTestId('tab-chat')).toHaveText('Chat')
    await expect(page.getByTestId('new-session')).toHaveText('+ New chat')
    await expectNoOverflow(page)
  })
})

test.describe('in a Chinese browser', () => {
  test.use({ locale: 'zh-CN' })

  test('views with results in them show no English either', async ({ page, host }) => {
    test.setTimeout(120_000)
    const app = new AppPage(page)
    const chat = new ChatPage(page)
    await app.open(host.url)
    // A chat with an answer: roles, status, the answer's numbers, the settings panel.
    await app.write('Hello')
    await chat.waitFinished()
    await chat.openSettings()
    await expect(chat.lastAssistant().getByTestId('message-stats')).toContainText('词元')
    await expectNoEnglish(page)
    await expectNoOverflow(page)
    // The model's row on the Models tab.
    await page.getByTestId('tab-models').click()
    await expect(page.getByTestId('model-row').first()).toBeVisible()
    await expectNoEnglish(page)
    await expectNoOverflow(page)
    // Inside a text: the meta line, the next-token bars, attention, lens and layer bars.
    await page.getByTestId('tab-inside').click()
    await page.getByTestId('inside-run').click()
    await expect(page.getByTestId('inside-meta')).toContainText('词元', { timeout: 60_000 })
    await expect(page.getByTestId('lens-table')).toBeVisible()
    await expectNoEnglish(page)
    await expectNoOverflow(page)
    await page.screenshot({ path: test.info().outputPath('zh-CN-inside-result.png') })
    // The context view's paths on the loaded model, with their nearest words.
    await page.getByTestId('tab-space').click()
    await page.getByTestId('space-context-tab').click()
    await page.getByTestId('context-run').click()
    await expect(page.getByTestId('context-path')).toHaveCount(3, { timeout: 60_000 })
    await expectNoEnglish(page)
    await expectNoOverflow(page)
    // Train: a dropped file's verdict and the estimate.
    await page.getByTestId('tab-train').click()
    const text = 'Some text to learn from, written out a few times. '.repeat(40)
    await new TrainPage(page).drop([{ name: 'notes.txt', bytes: [...Buffer.from(text)] }])
    await expect(page.getByTestId('file-row')).toHaveAttribute('data-status', 'accepted')
    await page.getByTestId('plan-run').click()
    await expect(page.getByTestId('plan')).toContainText('步')
    await expectNoEnglish(page)
    await expectNoOverflow(page)
  })

  test('starts in 简体中文', async ({ page, host }) => {
    const app = new AppPage(page)
    await app.open(host.url)
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN')
    await expect(page.getByTestId('tab-chat')).toHaveText('对话')
    await expect(page.getByTestId('language-switch')).toHaveAttribute('data-value', 'zh-CN')
    await expect(page.getByTestId('composer-input')).toHaveAttribute('placeholder', CHINESE)
    // A new chat is titled in Chinese, and named after its first message as in English.
    await app.newSession()
    await expect(page.getByTestId('session-title')).toHaveText(['新对话'])
    await app.write('你好 世界')
    await expect(page.getByTestId('session-title')).toHaveText(['你好 世界'])
  })
})
