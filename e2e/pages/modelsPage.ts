import { expect, type Locator, type Page } from '@playwright/test'
import { chooseOption } from './select'

/** The Models tab: one model's row and its GGUF export panel. */
export class ModelsPage {
  readonly rows: Locator
  readonly exportPanel: Locator

  constructor(readonly page: Page) {
    this.rows = page.getByTestId('model-row')
    this.exportPanel = page.getByTestId('gguf-export')
  }

  async open(): Promise<void> {
    await this.page.getByTestId('tab-models').click()
    await expect(this.page.getByTestId('view-models')).toBeVisible()
  }

  async add(dir: string): Promise<void> {
    const before = await this.rows.count()
    await this.page.getByTestId('model-path').fill(dir)
    await this.page.getByTestId('model-add').click()
    await expect(this.rows).toHaveCount(before + 1)
  }

  async openExport(name: string): Promise<void> {
    const row = this.rows.filter({ has: this.page.getByTestId('model-name').getByText(name) })
    await row.getByTestId('model-export').click()
    await expect(this.exportPanel).toBeVisible()
  }

  pathField(): Locator {
    return this.exportPanel.getByTestId('gguf-path')
  }

  async exportAs(type: string, outPath?: string): Promise<void> {
    await chooseOption(this.exportPanel.getByTestId('gguf-type'), type)
    if (outPath !== undefined) await this.pathField().fill(outPath)
    await this.exportPanel.getByTestId('gguf-export-run').click()
  }
}
