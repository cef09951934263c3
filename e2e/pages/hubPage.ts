import { expect, type Locator, type Page } from '@playwright/test'

/** The Models tab's hub panel: search, a repo's plan and its download. */
export class HubPage {
  readonly panel: Locator

  constructor(readonly page: Page) {
    this.panel = page.getByTestId('hub-panel')
  }

  async search(query: string): Promise<void> {
    await this.panel.getByTestId('hub-query').fill(query)
    await this.panel.getByTestId('hub-search').click()
  }

  /** A repo's row among the search hits. */
  hit(repo: string): Locator {
    return this.panel
      .getByTestId('hub-hits')
      .locator(`[data-testid="hub-row"][data-repo="${repo}"]`)
  }

  progress(row: Locator): Locator {
    return row.getByTestId('hub-progress')
  }

  async expectState(row: Locator, state: string): Promise<void> {
    await expect(this.progress(row)).toHaveAttribute('data-state', state)
  }
}
