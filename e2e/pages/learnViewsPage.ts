import { expect, type Locator, type Page } from '@playwright/test'

/** The word2vec and feed-forward chapters, opened on their hidden addresses (?view=…). */
export class LearnViewsPage {
  readonly status: Locator
  readonly neighbours: Locator
  readonly neurons: Locator
  readonly promoted: Locator

  constructor(readonly page: Page) {
    this.status = page.getByTestId('w2v-status')
    this.neighbours = page.getByTestId('w2v-neighbour')
    this.neurons = page.getByTestId('ffn-neuron')
    this.promoted = page.getByTestId('ffn-promoted')
  }

  async open(hostUrl: string, view: 'word2vec' | 'ffn'): Promise<void> {
    const url = new URL(hostUrl)
    url.searchParams.set('view', view)
    await this.page.goto(url.toString())
    await expect(
      this.page.getByTestId(view === 'ffn' ? 'ffn-chapter' : 'word2vec-chapter'),
    ).toBeVisible()
  }

  /** Shows the interface in this language (kept in the profile, as the switch does). */
  async useLanguage(lng: 'en' | 'zh-CN'): Promise<void> {
    // A string, as spacePage's: this file is type-checked without the DOM library.
    await this.page.addInitScript(
      `window.localStorage.setItem('glassbox.language', ${JSON.stringify(lng)})`,
    )
  }

  /** Elements of the chapter whose text is wider or taller than their box: a clipped label. */
  async overflowing(): Promise<string[]> {
    const { checked, clipped } = await this.page.evaluate<{
      checked: number
      clipped: string[]
    }>(`(() => {
      const out = []
      const boxes = document.querySelectorAll(
        '.lv-chapter :is(button, label, th, td, select, h2, h3, p, li, .learn-chip)',
      )
      for (const el of boxes) {
        if (el.clientWidth === 0) continue
        if (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1) {
          out.push(el.tagName.toLowerCase() + ': ' + (el.textContent || '').slice(0, 40))
        }
      }
      return { checked: boxes.length, clipped: out }
    })()`)
    // An empty answer must mean "looked and found none", not "found nothing to look at".
    expect(checked).toBeGreaterThan(10)
    return clipped
  }

  async train(steps: number): Promise<void> {
    await this.page.getByTestId('w2v-steps').fill(String(steps))
    await this.page.getByTestId('w2v-train').click()
    await expect(this.status).toHaveAttribute('data-done', 'yes', { timeout: 90_000 })
  }

  async losses(): Promise<{ first: number; last: number; steps: number }> {
    return {
      first: Number(await this.status.getAttribute('data-first-loss')),
      last: Number(await this.status.getAttribute('data-last-loss')),
      steps: Number(await this.status.getAttribute('data-steps')),
    }
  }
}
