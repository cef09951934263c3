import { expect, type Page } from '@playwright/test'

/** What the page sees of a node; this file is type-checked without the DOM library. */
interface PageNode {
  textContent: string | null
  parentElement: { closest(selector: string): unknown; tagName: string } | null
  getAttribute(name: string): string | null
}

/**
 * Text that is data, not interface: what people and models wrote, file paths and names, code,
 * and the back end's own detail beside a translated error sentence.
 */
const DATA = [
  'textarea',
  'input',
  'code',
  'pre',
  '.message-body',
  '.error-detail',
  '.model-path',
  '[data-testid="model-name"]',
  '[data-testid="chat-title"]',
  '[data-testid="session-title"]',
  '.providers td.muted',
  '[data-testid^="picker-message-"]',
  '[data-testid="continuation"] p',
  '.space-context .sentence',
].join(', ')

/**
 * Interface text left in English on a page shown in another language: each text node or
 * readable attribute (title, placeholder, aria-label) with two English words in a row and no
 * Chinese character. Product and format names inside a translated sentence pass.
 */
export async function untranslated(page: Page): Promise<string[]> {
  return page.evaluate((data) => {
    const english = /\b[A-Za-z]{2,}\s+[A-Za-z]{2,}\b/
    const chinese = /[\u4e00-\u9fff]/
    const doc = (
      globalThis as unknown as {
        document: {
          body: unknown
          createTreeWalker(root: unknown, what: number): { nextNode(): PageNode | null }
          querySelectorAll(s: string): PageNode[]
        }
      }
    ).document
    const out: string[] = []
    const walker = doc.createTreeWalker(doc.body, 4) // NodeFilter.SHOW_TEXT
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = (node.textContent ?? '').trim()
      if (!english.test(text) || chinese.test(text)) continue
      if (node.parentElement?.closest(data)) continue
      if (
        node.parentElement?.tagName === 'OPTION' &&
        node.parentElement.closest('[data-testid="language-switch"]')
      )
        continue
      out.push(text.slice(0, 80))
    }
    for (const el of Array.from(doc.querySelectorAll('[title], [placeholder], [aria-label]'))) {
      for (const name of ['title', 'placeholder', 'aria-label']) {
        const value = el.getAttribute(name)
        if (value && english.test(value) && !chinese.test(value)) out.push(`@${name}: ${value}`)
      }
    }
    return out
  }, DATA)
}

/** Fails naming every piece of interface text still in English. */
export async function expectNoEnglish(page: Page): Promise<void> {
  expect(await untranslated(page), 'interface text left in English').toEqual([])
}
