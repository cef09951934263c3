import fs from 'node:fs'
import { SHIPPED_MODEL, SWIFTSHADER, expect, test } from './fixtures'
import { AppPage } from './pages/appPage'

const software = fs.existsSync(SWIFTSHADER)
if (!software) console.log(`[hardware e2e] WebGPU checks skipped: ${SWIFTSHADER} is missing`)

test.use({ defaultModel: SHIPPED_MODEL })

test('hardware tab: each provider in plain words, WebGPU on SwiftShader, speed side by side', async ({
  page,
  host,
}) => {
  test.setTimeout(240_000)
  const app = new AppPage(page)
  await app.open(host.url)
  await page.getByTestId('tab-hardware').click()
  const row = (name: string) =>
    page.locator(`[data-testid="provider-row"][data-provider="${name}"]`)
  await expect(row('cpu').getByTestId('provider-works')).toHaveText('yes', { timeout: 60_000 })

  // Every provider that does not work says why in a sentence, not onnxruntime's message,
  // which waits behind Details.
  const rows = page.getByTestId('provider-row')
  for (let i = 0; i < (await rows.count()); i++) {
    const r = rows.nth(i)
    if ((await r.getAttribute('data-state')) === 'works') continue
    await expect(r.getByTestId('provider-reason')).toHaveText(/\w.*\.$/)
    await expect(r.getByTestId('provider-reason')).not.toContainText(/onnxruntime_src|\.so\b|\.cc:/)
  }
  await expect(row('dml').getByTestId('provider-reason')).toHaveText(
    'DirectML runs on Windows only.',
  )
  await expect(row('coreml').getByTestId('provider-reason')).toHaveText(
    'CoreML runs on macOS only.',
  )
  const cuda = row('cuda')
  if ((await cuda.getAttribute('data-state')) === 'not_installed') {
    // No NVIDIA GPU here: the download is not offered.
    await expect(cuda.getByTestId('provider-reason')).toContainText('NVIDIA')
    await expect(page.getByTestId('cuda-install')).toHaveCount(0)
    await cuda.getByText('Details').click()
    await expect(cuda.getByTestId('provider-details')).toContainText('Failed to load')
  }

  if (software) {
    await expect(row('webgpu')).toHaveAttribute('data-state', 'works')
    await expect(row('webgpu').getByTestId('provider-adapter')).toContainText(
      'SwiftShader, a software adapter',
    )
  }

  // Test: the shipped model decodes on each working provider, one after the other.
  await page.getByTestId('hardware-test').click()
  const speed = (name: string) =>
    page.locator(`[data-testid="speed-row"][data-provider="${name}"]`).getByTestId('speed-value')
  await expect(speed('cpu')).toHaveText(/^\d[\d,.]*$/, { timeout: 180_000 })
  if (software) await expect(speed('webgpu')).toHaveText(/^\d[\d,.]*$/)
  // The chat still answers afterwards: the model reloads on the next message.
  await page.getByTestId('tab-chat').click()
  await app.newSession()
  await app.write('In the beginning')
  await expect(page.locator('[data-role="assistant"]').last()).toHaveAttribute(
    'data-status',
    /complete|interrupted/,
    { timeout: 60_000 },
  )
})
