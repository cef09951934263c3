import { expect, type Locator, type Page } from '@playwright/test'
import { chooseOption } from './select'

/** The Inside view: pick a message or type text, then read tokens, bars, attention, lens. */
export class InsidePage {
  readonly view: Locator
  readonly heatmap: Locator
  readonly continuation: Locator

  constructor(readonly page: Page) {
    this.view = page.getByTestId('inside-view')
    this.heatmap = page.getByTestId('attention-heatmap')
    this.continuation = page.getByTestId('continuation')
  }

  async open(): Promise<void> {
    await this.page.getByTestId('tab-inside').click()
    await expect(this.view).toBeVisible()
  }

  /** Opens the first message of the given role in the current chat. */
  async pickMessage(role: 'user' | 'assistant'): Promise<void> {
    const item = this.page.locator(`[data-testid^="picker-message-"][data-role="${role}"]`).first()
    await expect(item).toBeVisible()
    await item.click()
    await expect(this.page.getByTestId('inside-meta')).toBeVisible({ timeout: 60_000 })
  }

  async chooseLayerAndHead(layer: number, head: number): Promise<void> {
    await chooseOption(this.page.getByTestId('layer-select'), String(layer))
    await chooseOption(this.page.getByTestId('head-select'), String(head))
  }

  /** How many pixels of the heat map differ from its top-right corner, a masked future key
   * cell: 0 means a blank picture. */
  async heatmapInkedPixels(): Promise<number> {
    await expect(this.heatmap).toBeVisible()
    // Runs in the page; typed structurally because the e2e tsconfig has no DOM library.
    return this.heatmap.evaluate((el) => {
      const c = el as unknown as {
        width: number
        height: number
        getContext(kind: '2d'): {
          getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray }
        }
      }
      const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data
      const corner = (c.width - 1) * 4
      let inked = 0
      for (let i = 0; i < data.length; i += 4) {
        const differs =
          data[i] !== data[corner] ||
          data[i + 1] !== data[corner + 1] ||
          data[i + 2] !== data[corner + 2]
        if (data[i + 3] > 0 && differs) inked++
      }
      return inked
    })
  }

  alternative(i: number): Locator {
    return this.page.getByTestId(`alternative-${i}`)
  }
}
