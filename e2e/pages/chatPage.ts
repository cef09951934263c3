import { expect, type Locator, type Page } from '@playwright/test'

/** The chat pane's model-driven parts, the settings panel and the Models tab. */
export class ChatPage {
  readonly assistant: Locator
  readonly user: Locator

  constructor(readonly page: Page) {
    this.assistant = page.locator('[data-testid="message"][data-role="assistant"]')
    this.user = page.locator('[data-testid="message"][data-role="user"]')
  }

  async addModel(dir: string): Promise<void> {
    await this.page.getByTestId('tab-models').click()
    // Browser mode has no native folder dialog: the path is typed.
    await expect(this.page.getByTestId('model-browse')).toHaveCount(0)
    await this.page.getByTestId('model-path').fill(dir)
    await this.page.getByTestId('model-add').click()
    await expect(this.page.getByTestId('model-row')).toHaveCount(1)
  }

  async openChat(): Promise<void> {
    await this.page.getByTestId('tab-chat').click()
  }

  async openSettings(): Promise<void> {
    const panel = this.page.getByTestId('settings-panel')
    if (!(await panel.isVisible())) await this.page.getByTestId('toggle-settings').click()
    await expect(this.page.getByTestId('sampling-seed')).toBeVisible()
  }

  /** Types a number into a sampling field and commits it with Enter. */
  async setNumber(key: string, value: number): Promise<void> {
    const field = this.page.getByTestId(`sampling-${key}`)
    await field.fill(String(value))
    await field.press('Enter')
    await expect(this.page.getByTestId(`sampling-${key}`)).toHaveValue(String(value))
  }

  lastAssistant(): Locator {
    return this.assistant.last()
  }

  async waitFinished(message: Locator = this.lastAssistant()): Promise<void> {
    await expect(message).not.toHaveAttribute('data-status', 'streaming', { timeout: 60_000 })
    await expect(message.getByTestId('message-stats')).toBeVisible()
  }
}
