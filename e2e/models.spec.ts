import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { test, expect } from './fixtures'
import { AppPage } from './pages/appPage'
import { ModelsPage } from './pages/modelsPage'
import { chooseOption } from './pages/select'

let modelDir = ''

test.beforeAll(() => {
  modelDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'glassbox-e2e-gguf-')), 'tiny-gpt2')
  execFileSync(process.execPath, [
    '--import',
    'tsx',
    path.join(__dirname, 'support', 'writeFixtureModel.mts'),
    modelDir,
    'gpt2',
  ])
})

test.afterAll(() => {
  if (modelDir) fs.rmSync(path.dirname(modelDir), { recursive: true, force: true })
})

test('export a model as GGUF from the Models tab', async ({ page, host }) => {
  test.setTimeout(120_000)
  const app = new AppPage(page)
  const models = new ModelsPage(page)
  await app.open(host.url)
  await models.open()
  await models.add(modelDir)
  await models.openExport('tiny-gpt2')

  // The file goes beside the weights by default, named after the model and the type.
  const expected = path.join(modelDir, 'tiny-gpt2-q4_0.gguf')
  await chooseOption(models.exportPanel.getByTestId('gguf-type'), 'q4_0')
  await expect(models.pathField()).toHaveValue(expected)
  await models.exportAs('q4_0')
  const result = models.exportPanel.getByTestId('gguf-result')
  await expect(result).toContainText(expected)
  await expect(result).toContainText(/\d+ tensors, gpt2 q4_0/)
  const header = fs.readFileSync(expected).subarray(0, 4).toString('latin1')
  expect(header).toBe('GGUF')

  // Exporting again over the same file asks first.
  await models.exportAs('q4_0')
  const error = models.exportPanel.getByTestId('gguf-error')
  await expect(error).toContainText('already exists')
  await error.getByTestId('gguf-overwrite').click()
  await expect(result).toContainText(expected)

  // A folder that does not exist is named in the error; nothing is written.
  const missing = path.join(path.dirname(modelDir), 'nowhere', 'x.gguf')
  await models.exportAs('f16', missing)
  await expect(error).toContainText('does not exist')
  expect(fs.existsSync(path.dirname(missing))).toBe(false)
})
