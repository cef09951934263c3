import { expect, type Page } from '@playwright/test'

/** What the page sees of an element; this file is type-checked without the DOM library. */
interface Box {
  tagName: string
  scrollWidth: number
  clientWidth: number
  textContent: string | null
  getClientRects(): { length: number }
  getAttribute(name: string): string | null
}

/**
 * Buttons and tabs whose text does not fit their box (a translation longer than the words it
 * replaced, say), each described by its test id, text and widths. Hidden ones are skipped.
 */
export async function overflowing(
  page: Page,
  selector = 'button, [role="tab"]',
): Promise<string[]> {
  return page.evaluate((sel) => {
    const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): Box[] } })
      .document
    const out: string[] = []
    for (const el of Array.from(doc.querySelectorAll(sel))) {
      if (el.getClientRects().length === 0) continue
      if (el.scrollWidth > el.clientWidth + 1) {
        const id = el.getAttribute('data-testid') ?? ''
        const text = (el.textContent ?? '').trim().slice(0, 40)
        out.push(
          `${el.tagName.toLowerCase()}[${id}] “${text}”: ${el.scrollWidth} > ${el.clientWidth}`,
        )
      }
    }
    return out
  }, selector)
}

/** Fails naming every button or tab on the page whose text overflows its box. */
export async function expectNoOverflow(page: Page, selector?: string): Promise<void> {
  expect(await overflowing(page, selector), 'text overflowing its box').toEqual([])
}
