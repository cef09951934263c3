import { expect, type Page } from '@playwright/test'

/**
 * Text that does not fit its box: an element holding text of its own (not only children)
 * whose content is wider or taller than its box while the box does not scroll, or that
 * sticks out of the window. Scroll containers, canvases and form fields are left out: their
 * content is meant to move inside them.
 */
const FIND_OVERFLOW = `(() => {
  const found = []
  const scrolls = (style) => /(auto|scroll)/.test(style.overflowX + style.overflowY)
  const ownText = (el) =>
    [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim().length > 0)
  for (const el of document.querySelectorAll('body *')) {
    if (!ownText(el)) continue
    if (/^(CANVAS|SVG|TEXTAREA|INPUT|SELECT|OPTION|SCRIPT|STYLE)$/i.test(el.tagName)) continue
    if (el.closest('svg')) continue
    const style = getComputedStyle(el)
    if (style.display === 'inline' || style.display === 'none' || style.visibility === 'hidden') continue
    const rect = el.getBoundingClientRect()
    // Zero-size and screen-reader-only (1×1, clipped) text is not drawn, so cannot overflow.
    if (rect.width <= 1 || rect.height <= 1) continue
    // Inside a scroll container the text may be out of view on purpose.
    let scroller = el.parentElement
    while (scroller && !scrolls(getComputedStyle(scroller))) scroller = scroller.parentElement
    const wide = el.scrollWidth > el.clientWidth + 1
    const tall = el.scrollHeight > el.clientHeight + 1
    const outside = !scroller && (rect.right > innerWidth + 1 || rect.bottom > innerHeight + 1)
    // Text cut off at the side of a panel that scrolls is still cut off, unless the panel is
    // one made to scroll sideways (a wide table, a token strip).
    const box = scroller && scroller.getBoundingClientRect()
    const sideways = scroller && !scroller.closest('.inside-scroll') && rect.right > box.right + 1
    if ((!scrolls(style) && (wide || tall)) || outside || sideways) {
      const text = el.textContent.trim().slice(0, 60)
      found.push(el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ')[0] : '') +
        ' ' + el.scrollWidth + 'x' + el.scrollHeight + ' in ' + el.clientWidth + 'x' + el.clientHeight + ': ' + text)
    }
  }
  return found
})()`

/** Fails with the elements whose text overflows, so a screenshot is not needed to see which. */
export async function expectNoOverflow(page: Page): Promise<void> {
  const overflowing = (await page.evaluate(FIND_OVERFLOW)) as string[]
  expect(overflowing, 'text that overflows its box').toEqual([])
}
