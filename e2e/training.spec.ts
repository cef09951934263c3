import fs from 'node:fs'
import path from 'node:path'
import { test, expect } from './fixtures'
import { TrainPage } from './pages/trainPage'

const bytes = (text: string): number[] => [...Buffer.from(text)]
const psalm = Array.from(
  { length: 30 },
  (_, i) => `Line ${i}: the garden is green and the river is quiet.`,
).join('\n')
const letter = Array.from(
  { length: 30 },
  (_, i) => `Dear friend, day ${i} was bright; we walked by the sea.`,
).join('\n')

test('drop files, see the binary refused, train, cancel, resume, finish, compare', async ({
  page,
  host,
}) => {
  test.setTimeout(600_000)
  const train = new TrainPage(page)
  await train.open(host.url)

  await train.drop([
    { name: 'garden.txt', bytes: bytes(psalm) },
    { name: 'letters.md', bytes: bytes(letter) },
    {
      name: 'photo.txt',
      bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48],
    },
  ])
  await expect(train.fileRows).toHaveCount(3)
  await expect(train.fileRows.filter({ hasText: 'garden.txt' })).toHaveAttribute(
    'data-status',
    'accepted',
  )
  await expect(train.fileRows.filter({ hasText: 'letters.md' })).toHaveAttribute(
    'data-status',
    'accepted',
  )
  const binary = train.fileRows.filter({ hasText: 'photo.txt' })
  await expect(binary).toHaveAttribute('data-status', 'skipped')
  await expect(binary).toContainText('binary')

  await train.fill('max-steps', '30')
  await train.fill('batch-size', '2')
  await train.fill('seq-len', '32')
  await page.getByTestId('plan-run').click()
  await expect(page.getByTestId('plan')).toContainText('30 steps')

  await page.getByTestId('start-run').click()
  await train.waitForStatus('running')
  await expect.poll(() => train.chartPoints(), { timeout: 120_000 }).toBeGreaterThan(3)
  const before = await train.chartPoints()
  await expect.poll(() => train.chartPoints(), { timeout: 60_000 }).toBeGreaterThan(before)

  await page.getByTestId('cancel-run').click()
  await train.waitForStatus('stopped')
  // The text changed since the checkpoint: Resume asks before training on it.
  const uploads = path.join(host.dataDir, 'training', 'uploads')
  const [upload] = fs.readdirSync(uploads)
  fs.appendFileSync(path.join(uploads, upload, 'garden.txt'), '\nA line added after the stop.')
  const asked = page.waitForEvent('dialog')
  await page.getByTestId('resume-run').click()
  const dialog = await asked
  expect(dialog.message()).toContain('garden.txt changed')
  await dialog.accept()
  await train.waitForStatus('finished', 300_000)
  await expect(page.getByTestId('run-row')).toHaveCount(1)
  await expect(page.getByTestId('run-row')).toContainText('finished')
  await expect(page.getByTestId('run-row')).toContainText('30/30')

  await page.getByTestId('compare-run').click()
  await expect(page.getByTestId('compare-base')).toContainText('perplexity', { timeout: 120_000 })
  await expect(page.getByTestId('compare-tuned')).toContainText('perplexity')

  // The trained model: its folder (chosen under the data folder, named after the run) is
  // shown, it is listed in Models, and one click makes it the chat model.
  await expect(page.getByTestId('trained-folder')).toContainText(/trained[\\/].+-run-\d+$/)
  await page.getByTestId('use-in-chat').click()
  await expect(page.getByTestId('use-in-chat-done')).toContainText('-run-')
  await page.getByTestId('tab-models').click()
  await expect(page.getByTestId('model-row').filter({ hasText: '-run-' })).toHaveCount(1)
})
