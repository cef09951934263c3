import { expect, type Locator, type Page } from '@playwright/test'

/** The Train view: drop zone, file verdicts, settings, run controls, chart, runs, compare. */
export class TrainPage {
  readonly view: Locator
  readonly dropZone: Locator
  readonly fileRows: Locator
  readonly chart: Locator
  readonly status: Locator

  constructor(readonly page: Page) {
    this.view = page.getByTestId('view-train')
    this.dropZone = page.getByTestId('drop-zone')
    this.fileRows = page.getByTestId('file-row')
    this.chart = page.getByTestId('loss-chart')
    this.status = page.getByTestId('run-progress')
  }

  async open(url: string): Promise<void> {
    await this.page.goto(url)
    await this.page.getByTestId('tab-train').click()
    await expect(this.page.getByTestId('model-dir')).toHaveValue(/native-models[\\/]default$/)
  }

  /** Drops files on the drop zone as a person would: a drop event carrying a DataTransfer. */
  async drop(files: { name: string; bytes: number[] }[]): Promise<void> {
    const transfer = await this.page.evaluateHandle((list) => {
      // Runs in the page; this file is type-checked without the DOM library.
      const w = globalThis as unknown as {
        DataTransfer: new () => { items: { add(file: unknown): void } }
        File: new (parts: unknown[], name: string) => unknown
      }
      const dt = new w.DataTransfer()
      for (const f of list) dt.items.add(new w.File([new Uint8Array(f.bytes)], f.name))
      return dt
    }, files)
    await this.dropZone.dispatchEvent('drop', { dataTransfer: transfer })
  }

  async fill(testId: string, value: string): Promise<void> {
    await this.page.getByTestId(testId).fill(value)
  }

  async chartPoints(): Promise<number> {
    return Number(await this.chart.getAttribute('data-points'))
  }

  async waitForStatus(status: string, timeout = 120_000): Promise<void> {
    await expect(this.status).toHaveAttribute('data-status', status, { timeout })
  }
}
