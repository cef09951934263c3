import { defineConfig } from '@playwright/test'
import { chromiumArgs, chromiumPath } from './e2e/support/chromium'

export default defineConfig({
  testDir: 'e2e',
  timeout: 120_000,
  workers: 1,
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e.json' }]],
  use: {
    launchOptions: {
      executablePath: chromiumPath,
      args: chromiumArgs,
    },
    viewport: { width: 1400, height: 900 },
  },
})
