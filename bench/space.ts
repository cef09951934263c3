/**
 * Word-space benchmark: GloVe cache build, cold load from the cache, PCA over all 341k
 * points, a k=20 cosine query over all points, and frames per second while rotating all
 * points in headless Chromium (relative: SwiftShader, no GPU). Aims (issue 7): load < 1 s,
 * PCA < 2 s, a query < 50 ms.
 */
import { spawn } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildGloveCache, cachePath, readCache } from '../main/services/space/gloveCache'
import { pca } from '../main/services/space/pca'
import { neighboursOf, normalizeRows } from '../main/services/space/vectorMath'

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]
}

async function time<T>(work: () => T | Promise<T>): Promise<[T, number]> {
  const t0 = performance.now()
  const value = await work()
  return [value, performance.now() - t0]
}

/** Starts the built browser-mode host and measures rotation fps in headless Chromium. */
async function rotationFps(dataDir: string): Promise<number | string> {
  const { chromium } = await import('@playwright/test')
  const host = spawn(
    process.execPath,
    ['out/main/serve.js', '--port', '0', '--data-dir', dataDir],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  )
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = ''
      host.stdout.on('data', (d: Buffer) => {
        out += d.toString()
        const m = /http:\/\/127\.0\.0\.1:\d+\/\?token=\S+/.exec(out)
        if (m) resolve(m[0])
      })
      host.on('exit', () => reject(new Error(`The host stopped: ${out}`)))
    })
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox'],
    })
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } })
    await page.goto(url)
    await page.getByTestId('tab-space').click()
    await page.getByTestId('space-explained').waitFor({ timeout: 120_000 })
    // Page-side script as text (no DOM types in the node tsconfig): each key press renders
    // one frame synchronously; reading a pixel waits until the frame is really drawn.
    const fps = (await page.evaluate(`(() => {
      const el = document.querySelector('[data-testid="space-canvas"]')
      const gl = el.getContext('webgl2')
      const pixel = new Uint8Array(4)
      const frames = 30
      const t0 = performance.now()
      for (let i = 0; i < frames; i++) {
        el.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }))
        gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, pixel)
      }
      return frames / ((performance.now() - t0) / 1000)
    })()`)) as number
    await browser.close()
    return fps
  } catch (err) {
    return `not measured: ${err instanceof Error ? err.message : String(err)}`
  } finally {
    host.kill()
  }
}

export async function run(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'glassbox-bench-space-'))
  try {
    const [, buildMs] = await time(() => buildGloveCache(dir).result)
    const [glove, loadMs] = await time(() => readCache(cachePath(dir)))
    const [unit, normalizeMs] = await time(() => normalizeRows(glove.vectors, glove.dims))
    const [result, pcaMs] = await time(() => pca(glove.vectors, glove.dims, 3))
    const queries: number[] = []
    for (let q = 0; q < 20; q++) {
      const index = (q * 7919) % 20000
      queries.push((await time(() => neighboursOf(unit, glove.dims, index, 20)))[1])
    }
    const hostDir = join(dir, 'host')
    mkdirSync(join(hostDir, 'space'), { recursive: true })
    cpSync(cachePath(dir), cachePath(hostDir))
    const fps = await rotationFps(hostDir)
    const figures = {
      points: glove.words.length,
      cacheBuildMs: Math.round(buildMs),
      coldLoadFromCacheMs: Math.round(loadMs),
      normalizeMs: Math.round(normalizeMs),
      pcaAllPointsMs: Math.round(pcaMs),
      pcaExplainedVariance: result.explainedVariance.map((v) => Number(v.toFixed(4))),
      knnK20MedianMs: Number(median(queries).toFixed(1)),
      knnK20MaxMs: Number(Math.max(...queries).toFixed(1)),
      rotationFpsHeadless: typeof fps === 'number' ? Number(fps.toFixed(1)) : fps,
    }
    console.table(figures)
    return figures
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
