/**
 * Word-space benchmark: GloVe cache build, cold load from the cache, PCA over all 341k
 * points, a k=20 cosine query over all points, and frames per second while rotating all
 * points in headless Chromium (relative: SwiftShader, no GPU). Aims (issue 7): load < 1 s,
 * PCA < 2 s, a query < 50 ms.
 *
 * PCA and the query run the app's onnxruntime path and the plain-JS reference in turns, in
 * the same process, so the ratio holds on a busy machine even when the absolute times do not.
 */
import { spawn } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromiumArgs, chromiumPath } from '../e2e/support/chromium'
import { buildGloveCache, cachePath, readCache } from '../main/services/space/gloveCache'
import { NearestIndex } from '../main/services/space/nearestIndex'
import { pca } from '../main/services/space/pca'
import { OrtPca } from '../main/services/space/pcaOrt'
import { neighboursOf, normalizeRows, row } from '../main/services/space/vectorMath'

const SERVE_ENTRY = 'out/main/serve.js'

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
  if (!existsSync(SERVE_ENTRY)) {
    return `not measured: ${SERVE_ENTRY} is missing; build first with npx electron-vite build`
  }
  const { chromium } = await import('@playwright/test')
  const host = spawn(process.execPath, [SERVE_ENTRY, '--port', '0', '--data-dir', dataDir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
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
      executablePath: chromiumPath,
      args: chromiumArgs,
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

/** Medians of `rounds` alternating runs of each variant (in turns, so load hits both). */
async function sideBySide(
  variants: Record<string, (round: number) => unknown>,
  rounds: number,
): Promise<Record<string, { median: number; max: number }>> {
  const times: Record<string, number[]> = {}
  for (let round = 0; round < rounds; round++) {
    for (const [name, work] of Object.entries(variants)) {
      ;(times[name] ??= []).push((await time(() => work(round)))[1])
    }
  }
  return Object.fromEntries(
    Object.entries(times).map(([name, t]) => [name, { median: median(t), max: Math.max(...t) }]),
  )
}

const round1 = (x: number) => Number(x.toFixed(1))

export async function run(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'glassbox-bench-space-'))
  try {
    const loadAverageBefore = loadavg().map(round1)
    const [, buildMs] = await time(() => buildGloveCache(dir).result)
    const [glove, loadMs] = await time(() => readCache(cachePath(dir)))
    const { dims } = glove
    const [unit, normalizeMs] = await time(() => normalizeRows(glove.vectors, dims))
    // As the app does at load: the first index also loads onnxruntime.
    const [nearest, indexMs] = await time(() => NearestIndex.create(unit, dims))
    const ortPca = new OrtPca()
    const [result, pcaFirstMs] = await time(() => ortPca.run(glove.vectors, dims, 3))
    const pcaTimes = await sideBySide(
      { ort: () => ortPca.run(glove.vectors, dims, 3), js: () => pca(glove.vectors, dims, 3) },
      3,
    )
    const queryRow = (q: number) => (q * 7919) % 20000
    const knn = await sideBySide(
      {
        ort: (q) => nearest.topK(row(unit, dims, queryRow(q)), 20, new Set([queryRow(q)])),
        js: (q) => neighboursOf(unit, dims, queryRow(q), 20),
      },
      20,
    )
    const loadAverageAfter = loadavg().map(round1)
    const hostDir = join(dir, 'host')
    mkdirSync(join(hostDir, 'space'), { recursive: true })
    cpSync(cachePath(dir), cachePath(hostDir))
    const fps = await rotationFps(hostDir)
    const figures = {
      points: glove.words.length,
      loadAverage1m5m15m: `${loadAverageBefore.join(' ')} -> ${loadAverageAfter.join(' ')}`,
      cacheBuildMs: Math.round(buildMs),
      coldLoadFromCacheMs: Math.round(loadMs),
      normalizeMs: Math.round(normalizeMs),
      knnIndexCreateMs: Math.round(indexMs),
      pcaFirstCallMs: Math.round(pcaFirstMs),
      pcaAllPointsMs: Math.round(pcaTimes.ort.median),
      pcaJsReferenceMs: Math.round(pcaTimes.js.median),
      pcaSpeedup: round1(pcaTimes.js.median / pcaTimes.ort.median),
      pcaExplainedVariance: result.explainedVariance.map((v) => Number(v.toFixed(4))),
      knnK20MedianMs: round1(knn.ort.median),
      knnK20MaxMs: round1(knn.ort.max),
      knnJsReferenceMedianMs: round1(knn.js.median),
      knnSpeedup: round1(knn.js.median / knn.ort.median),
      rotationFpsHeadless: typeof fps === 'number' ? round1(fps) : fps,
    }
    console.table(figures)
    return figures
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
