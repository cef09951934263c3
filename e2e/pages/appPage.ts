import { expect, type Locator, type Page } from '@playwright/test'

/** The app frame: tabs, the sessions sidebar and the chat pane. */
export class AppPage {
  readonly sidebar: Locator
  readonly sessionItems: Locator
  readonly search: Locator
  readonly messages: Locator
  readonly composer: Locator
  readonly chatTitle: Locator

  constructor(readonly page: Page) {
    this.sidebar = page.getByTestId('sessions-sidebar')
    this.sessionItems = page.getByTestId('session-item')
    this.search = page.getByTestId('session-search')
    this.messages = page.getByTestId('message')
    this.composer = page.getByTestId('composer-input')
    this.chatTitle = page.getByTestId('chat-title')
  }

  async open(url: string): Promise<void> {
    await this.page.goto(url)
    await expect(this.sidebar).toBeVisible()
    await expect(this.page.getByTestId('connection-banner')).toHaveCount(0)
  }

  session(title: string): Locator {
    return this.sessionItems.filter({
      has: this.page.getByTestId('session-title').getByText(title, { exact: true }),
    })
  }

  async titles(): Promise<string[]> {
    return this.page.getByTestId('session-title').allTextContents()
  }

  async newSession(): Promise<void> {
    const before = await this.sessionItems.count()
    await this.page.getByTestId('new-session').click()
    await expect(this.sessionItems).toHaveCount(before + 1)
  }

  async rename(from: string, to: string): Promise<void> {
    const row = this.session(from)
    await row.hover()
    await row.getByTestId('session-rename').click()
    const input = this.page.getByTestId('session-rename-input')
    await input.fill(to)
    await input.press('Enter')
    await expect(this.session(to)).toHaveCount(1)
  }

  async remove(title: string): Promise<void> {
    const row = this.session(title)
    await row.hover()
    await row.getByTestId('session-delete').click()
    await row.getByTestId('session-delete-confirm').click()
    await expect(this.session(title)).toHaveCount(0)
  }

  async select(title: string): Promise<void> {
    await this.session(title).getByTestId('session-title').click()
    await expect(this.chatTitle).toHaveText(title)
  }

  /** Types a message and sends it with Enter; resolves once it shows as the last message. */
  async write(text: string): Promise<void> {
    const last = this.messages.last()
    const before = (await this.messages.count()) ? await last.getAttribute('data-message-id') : null
    await this.composer.fill(text)
    await this.composer.press('Enter')
    await expect(this.composer).toHaveValue('')
    await expect(last).toHaveAttribute('data-message-id', /\d+/)
    await expect(last).not.toHaveAttribute('data-message-id', before ?? '')
  }
}
