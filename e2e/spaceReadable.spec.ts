import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Locator, Page } from '@playwright/test'
import { SHIPPED_MODEL, expect, test } from './fixtures'
import { chooseOption } from './pages/select'
import { SpacePage } from './pages/spacePage'

test.use({ defaultModel: SHIPPED_MODEL })

/** A small Projector import: three groups of words in 8 dimensions, far apart. */
function writeTsv(): { vectors: string; metadata: string } {
  const dir = mkdtempSync(join(tmpdir(), 'glassbox-e2e-tsv-'))
  let seed = 11
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5
  const groups = ['animals', 'royalty', 'places']
  const named = ['man', 'woman', 'king', 'queen', 'prince', 'princess']
  const rows: { word: string; group: string; vector: number[] }[] = []
  for (let i = 0; i < 150; i++) {
    const g = i % 3
    const vector = Array.from({ length: 8 }, (_, d) => (d === g ? 4 : 0) + random())
    rows.push({ word: named[i] ?? `${groups[g]}${i}`, group: groups[g], vector })
  }
  const vectors = join(dir, 'vectors.tsv')
  const metadata = join(dir, 'metadata.tsv')
  writeFileSync(vectors, rows.map((r) => r.vector.map((v) => v.toFixed(4)).join('\t')).join('\n'))
  writeFileSync(metadata, ['word\tgroup', ...rows.map((r) => `${r.word}\t${r.group}`)].join('\n'))
  return { vectors, metadata }
}

async function boxes(labels: Locator) {
  const all = await labels.evaluateAll((els) =>
    els
      .filter((el) => (el as unknown as { style: { display: string } }).style.display !== 'none')
      .map((el) => {
        const r = el.getBoundingClientRect()
        return { left: r.left, top: r.top, right: r.right, bottom: r.bottom }
      }),
  )
  return all
}

/** The share of the canvas's width and height that its drawn points span (0..1). */
async function inkedSpan(page: Page): Promise<{ x: number; y: number }> {
  return page.evaluate(`(() => {
    const el = document.querySelector('[data-testid="space-canvas"]')
    const c = document.createElement('canvas')
    c.width = 128
    c.height = 128
    const ctx = c.getContext('2d')
    ctx.drawImage(el, 0, 0, 128, 128)
    const d = ctx.getImageData(0, 0, 128, 128).data
    let minX = 128, maxX = -1, minY = 128, maxY = -1
    for (let y = 0; y < 128; y++)
      for (let x = 0; x < 128; x++) {
        const i = (y * 128 + x) * 4
        if (Math.abs(d[i] - d[0]) + Math.abs(d[i + 1] - d[1]) + Math.abs(d[i + 2] - d[2]) < 40) continue
        minX = Math.min(minX, x); maxX = Math.max(maxX, x); minY = Math.min(minY, y); maxY = Math.max(maxY, y)
      }
    return { x: Math.max(0, maxX - minX) / 128, y: Math.max(0, maxY - minY) / 128 }
  })()`)
}

async function canvasCentre(page: Page) {
  const box = await page.getByTestId('space-canvas').boundingBox()
  if (!box) throw new Error('no canvas')
  return { x: box.x + box.width / 2, y: box.y + box.height / 2, width: box.width }
}

test('the space reads well: legend, axes, clean tokens, fly-to, no overlapping labels', async ({
  page,
  host,
}) => {
  test.setTimeout(240_000)
  const files = writeTsv()
  const space = new SpacePage(page)
  await page.goto(host.url)
  await space.open()

  // A Projector import with a metadata column.
  await page.getByText('Other sources').click()
  await page.getByPlaceholder('path to vectors.tsv').fill(files.vectors)
  await page.getByPlaceholder('path to metadata.tsv (optional)').fill(files.metadata)
  await page.getByRole('button', { name: 'Import TSV' }).click()
  await expect(page.locator('.space-title')).toContainText('vectors.tsv', { timeout: 60_000 })
  await space.waitForPoints()

  // The legend says what the colours mean, and follows the colouring.
  const legend = page.getByTestId('space-legend')
  await expect(legend).toContainText('frequency rank')
  await chooseOption(page.getByTestId('space-colour'), 'group')
  await expect(legend.getByTestId('space-legend-category')).toHaveText([
    'animals',
    'royalty',
    'places',
  ])

  // Custom axes draw their lines' names.
  await chooseOption(page.getByTestId('space-projection'), 'custom')
  await expect(page.locator('.space-axis-name')).toHaveText(['man → woman', 'king → queen'])
  await chooseOption(page.getByTestId('space-projection'), 'pca')
  await space.waitForPoints()
  await expect(page.locator('.space-axis-name')).toHaveCount(0)

  // UMAP's result is framed: it fills a good part of the view, neither a dot nor cut off.
  await chooseOption(page.getByTestId('space-projection'), 'umap')
  await expect(page.getByTestId('space-busy')).toHaveCount(0, { timeout: 120_000 })
  await expect
    .poll(async () => {
      const span = await inkedSpan(page)
      return Math.max(span.x, span.y)
    })
    .toBeGreaterThan(0.35)
  const span = await inkedSpan(page)
  expect(Math.max(span.x, span.y)).toBeLessThan(0.97)
  await chooseOption(page.getByTestId('space-projection'), 'pca')
  await space.waitForPoints()

  // An analogy and an error, both gone when the source changes.
  await space.analogy('king', 'man', 'woman')
  await page.getByTestId('space-search').fill('nosuchword')
  await page.getByTestId('space-search').press('Enter')
  await expect(page.getByTestId('space-error')).toBeVisible()
  await chooseOption(page.getByTestId('space-source'), 'model')
  await expect(page.getByTestId('space-analogy-results')).toHaveCount(0)
  await expect(page.getByTestId('space-error')).toHaveCount(0)
  await expect(page.locator('.space-title')).not.toContainText('vectors.tsv', { timeout: 60_000 })
  await space.waitForPoints()
  await expect(legend).toContainText('frequency rank')

  // Model tokens read as text: "Ġshall" is shown as " shall".
  await page.getByTestId('space-search').fill('shall')
  const suggestions = page.getByTestId('space-suggestion')
  await expect(suggestions.first()).toBeVisible()
  expect((await suggestions.allTextContents()).join('')).not.toMatch(/[Ġ▁]/)
  await page.getByTestId('space-search').press('Enter')
  const neighbours = await space.neighbourWords()
  expect(neighbours.join('')).not.toMatch(/[Ġ▁]/)
  await expect(page.locator('.space-labels')).not.toContainText('Ġ')

  // The camera flies to the searched word: its label ends up at the middle of the canvas.
  const main = page.locator('.space-label-main')
  await expect(main).toBeVisible()
  const centre = await canvasCentre(page)
  await expect
    .poll(async () => {
      const box = await main.boundingBox()
      return box ? Math.hypot(box.x - 6 - centre.x, box.y + box.height / 2 - centre.y) : 1e9
    })
    .toBeLessThan(12)

  // The hover label names the point under the pointer and goes when the pointer leaves.
  const hover = page.locator('.space-hover')
  await page.mouse.move(centre.x + 1, centre.y)
  await page.mouse.move(centre.x, centre.y)
  await expect(hover).toBeVisible()
  await expect(hover).toHaveText(' shall')
  await page.mouse.move(centre.x - centre.width / 2 - 60, centre.y, { steps: 4 })
  await expect(hover).toBeHidden()

  // Labels never cover each other.
  const placed = await boxes(page.locator('.space-labels .space-label'))
  expect(placed.length).toBeGreaterThan(3)
  for (let i = 0; i < placed.length; i++)
    for (let j = i + 1; j < placed.length; j++) {
      const a = placed[i]
      const b = placed[j]
      const apart = a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top
      expect(apart, `labels ${i} and ${j} overlap`).toBe(true)
    }

  // A narrow window: the controls go above, the canvas keeps the window's width.
  await page.setViewportSize({ width: 640, height: 900 })
  await expect.poll(async () => (await canvasCentre(page)).width).toBeGreaterThan(560)
})
