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
