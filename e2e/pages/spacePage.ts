import { expect, type Locator, type Page } from '@playwright/test'
import { chooseOption } from './select'

/** The Space tab, as a person uses it. */
export class SpacePage {
  readonly canvas: Locator
  readonly neighbours: Locator
  readonly analogyResults: Locator

  constructor(readonly page: Page) {
    this.canvas = page.getByTestId('space-canvas')
    this.neighbours = page.getByTestId('space-neighbours-item')
    this.analogyResults = page.getByTestId('space-analogy-results-item')
  }

  async open(): Promise<void> {
    await this.page.getByTestId('tab-space').click()
    await expect(this.page.getByTestId('space-view')).toBeVisible()
  }

  /** Waits until the points are drawn (a cache build and PCA of 341k points on first open). */
  async waitForPoints(): Promise<void> {
    await expect(this.page.getByTestId('space-explained')).toBeVisible({ timeout: 180_000 })
    await expect(this.page.getByTestId('space-busy')).toHaveCount(0, { timeout: 60_000 })
  }

  async search(word: string): Promise<void> {
    const box = this.page.getByTestId('space-search')
    await box.fill(word)
    await expect(this.page.getByTestId('space-suggestion').first()).toBeVisible()
    await box.press('Enter')
  }

  async neighbourWords(): Promise<string[]> {
    await expect(this.neighbours.first()).toBeVisible()
    return this.neighbours.locator('.word').allTextContents()
  }

  async analogy(a: string, b: string, c: string): Promise<string[]> {
    await this.page.getByTestId('space-analogy-a').fill(a)
    await this.page.getByTestId('space-analogy-b').fill(b)
    await this.page.getByTestId('space-analogy-c').fill(c)
    await this.page.getByTestId('space-analogy-run').click()
    await expect(this.analogyResults.first()).toBeVisible()
    return this.analogyResults.locator('.word').allTextContents()
  }

  /** Turns the view with the arrow keys (each press re-renders at once). */
  async rotate(steps: number): Promise<void> {
    await this.canvas.focus()
    for (let i = 0; i < steps; i++) await this.canvas.press('ArrowRight')
  }

  /** How many distinct colours a 64×64 copy of the canvas holds (1 = blank). */
  async distinctColours(): Promise<number> {
    // A page-side script as text: the e2e tsconfig has no DOM types.
    return this.page.evaluate(`(() => {
      const el = document.querySelector('[data-testid="space-canvas"]')
      const c = document.createElement('canvas')
      c.width = 64
      c.height = 64
      const ctx = c.getContext('2d')
      ctx.drawImage(el, 0, 0, 64, 64)
      const data = ctx.getImageData(0, 0, 64, 64).data
      const seen = new Set()
      for (let i = 0; i < data.length; i += 4) seen.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2])
      return seen.size
    })()`)
  }

  /** A 32×32 grey thumbnail of the WebGL canvas alone (no HTML labels), 0..255 per cell. */
  async thumbnail(): Promise<number[]> {
    return this.page.evaluate(`(() => {
      const el = document.querySelector('[data-testid="space-canvas"]')
      const c = document.createElement('canvas')
      c.width = 32
      c.height = 32
      const ctx = c.getContext('2d')
      ctx.drawImage(el, 0, 0, 32, 32)
      const d = ctx.getImageData(0, 0, 32, 32).data
      const out = []
      for (let i = 0; i < d.length; i += 4) out.push(Math.round((d[i] + d[i + 1] + d[i + 2]) / 3))
      return out
    })()`)
  }

  /** Binds the space to a chat session (its state is saved there). */
  async chooseSession(title: string): Promise<void> {
    await chooseOption(this.page.getByTestId('space-session'), { label: title })
  }

  /** The word whose neighbours are listed (the restored selection after a reload). */
  async selectedWord(): Promise<string | null> {
    const title = this.page.getByTestId('space-neighbours').locator('h3')
    if ((await title.count()) === 0) return null
    return ((await title.textContent()) ?? '').replace(/^Nearest to “|”$/g, '')
  }

  async openContext(): Promise<void> {
    await this.page.getByTestId('space-context-tab').click()
    await expect(this.page.getByTestId('space-context')).toBeVisible()
  }

  async runContext(word: string, sentences: string[], modelDir: string): Promise<void> {
    await this.page.getByTestId('context-word').fill(word)
    await this.page.getByTestId('context-sentences').fill(sentences.join('\n'))
    await this.page.getByPlaceholder('empty: the loaded model').fill(modelDir)
    await this.page.getByTestId('context-run').click()
  }
}
