import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { chromium } from '@playwright/test'
import { chromiumArgs, chromiumPath } from '../e2e/support/chromium'

// The Inside view end to end in the real app (browser mode, Debian's Chromium): add the model,
// type the text, "Look inside", and time until the heat map is painted; then once more from
// the per-message cache, which is the cost of rendering alone.

const SERVE = path.resolve('out/main/serve.js')

async function startHost(dataDir: string) {
  const child = spawn(process.execPath, [SERVE, '--port', '0', '--data-dir', dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip' },
  })
  const url = await new Promise<string>((resolve, reject) => {
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const m = /Glassbox is running at (\S+)/.exec(out)
      if (m) resolve(m[1])
    })
    child.once('exit', (code) => reject(new Error(`host exited (${code}) before it was ready`)))
  })
  return { url, stop: () => child.kill('SIGTERM') }
}

/** null when the build or the browser is missing (a benchmark, not a test: it says so). */
export async function measureInBrowser(
  modelDir: string,
  text: string,
): Promise<Record<string, number> | null> {
  if (!fs.existsSync(SERVE)) {
    console.log('inside: out/main/serve.js is missing (npm run build), skipped the browser row')
    return null
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'glassbox-bench-inside-data-'))
  const host = await startHost(dataDir)
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: chromiumArgs,
  })
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } })
    await page.goto(host.url)
    await page.getByTestId('tab-models').click()
    await page.getByTestId('model-path').fill(modelDir)
    await page.getByTestId('model-add').click()
    await page.getByTestId('model-row').first().waitFor({ timeout: 120_000 })

    const look = async () => {
      await page.getByTestId('tab-inside').click()
      await page.getByTestId('inside-text').fill(text)
      const t0 = Date.now()
      await page.getByTestId('inside-run').click()
      await page.getByTestId('inside-meta').waitFor({ timeout: 900_000 })
      const summaryMs = Date.now() - t0
      await page.getByTestId('attention-heatmap').waitFor({ timeout: 300_000 })
      return { summaryMs, heatmapMs: Date.now() - t0 }
    }
    const first = await look()
    await page.reload()
    const cached = await look()
    return {
      firstSummaryMs: first.summaryMs,
      firstHeatmapMs: first.heatmapMs,
      cachedSummaryMs: cached.summaryMs,
      cachedHeatmapMs: cached.heatmapMs,
    }
  } finally {
    await browser.close()
    host.stop()
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
}
