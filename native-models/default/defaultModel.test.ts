import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadModel } from '../io/loadModel'
import { fetchKjvText, kjvChapters, splitChapters } from '../scripts/kjvCorpus'

// The committed default model against the corpus it was trained on. The corpus is not in
// the repository: it comes from Debian's bible-kjv-text through apt, as the build does.

const here = resolve(__dirname)
const cache = resolve(here, '../../.cache/default-model')

function corpusOrReason(): { train: string[]; heldOut: string[] } | string {
  try {
    const { train, heldOut } = splitChapters(kjvChapters(fetchKjvText(cache)).chapters)
    return { train: train.map((c) => c.text), heldOut: heldOut.map((c) => c.text) }
  } catch (err) {
    return `the KJV corpus could not be fetched with apt-get download (${(err as Error).message.split('\n')[0]})`
  }
}

describe('default model (native-models/default)', () => {
  it('beats a bigram model of the same training text on held-out text by far, and loads quickly', async () => {
    const corpus = corpusOrReason()
    if (typeof corpus === 'string') {
      console.warn(`default model perplexity test not run: ${corpus}`)
      return
    }
    const t0 = performance.now()
    const model = await loadModel(here, { cacheDir: mkdtempSync(join(tmpdir(), 'gb-default-')) })
    const loadSeconds = (performance.now() - t0) / 1000
    const V = model.info.vocabSize
    const encode = (t: string): number[] => model.tokenizer.encode(t, { addSpecialTokens: false })

    // Bigram with add-one smoothing, estimated on every training token.
    const pair = new Map<number, number>()
    const uni = new Float64Array(V)
    for (const text of corpus.train) {
      const ids = encode(text)
      for (let i = 0; i + 1 < ids.length; i++) {
        const key = ids[i] * V + ids[i + 1]
        pair.set(key, (pair.get(key) ?? 0) + 1)
        uni[ids[i]]++
      }
    }
    let bigramNll = 0
    let modelNll = 0
    let count = 0
    const ctx = 128
    for (const text of corpus.heldOut.slice(0, 12)) {
      const ids = encode(text)
      for (let start = 0; start + 1 < ids.length; start += ctx) {
        const window = ids.slice(start, start + ctx + 1)
        const logits = await model.logits(window.slice(0, -1))
        for (let i = 0; i + 1 < window.length; i++) {
          const row = logits[i]
          let max = -Infinity
          for (const x of row) max = Math.max(max, x)
          let sum = 0
          for (const x of row) sum += Math.exp(x - max)
          modelNll -= row[window[i + 1]] - max - Math.log(sum)
          const c = pair.get(window[i] * V + window[i + 1]) ?? 0
          bigramNll -= Math.log((c + 1) / (uni[window[i]] + V))
          count++
        }
      }
    }
    await model.dispose()
    const modelPpl = Math.exp(modelNll / count)
    const bigramPpl = Math.exp(bigramNll / count)
    console.log(
      `default model: held-out perplexity ${modelPpl.toFixed(1)} vs bigram ${bigramPpl.toFixed(1)} ` +
        `(ratio ${(bigramPpl / modelPpl).toFixed(2)}x) over ${count} tokens; loaded in ${loadSeconds.toFixed(2)} s`,
    )
    expect(modelPpl).toBeLessThan(bigramPpl / 2.5)
  }, 600_000)

  it('npm run train:default runs end to end on a tiny budget (smoke test)', () => {
    const corpus = corpusOrReason()
    if (typeof corpus === 'string') {
      console.warn(`train:default smoke test not run: ${corpus}`)
      return
    }
    const out = mkdtempSync(join(tmpdir(), 'gb-train-default-'))
    execFileSync(
      process.execPath,
      [
        resolve(here, '../../node_modules/tsx/dist/cli.mjs'),
        resolve(here, '../scripts/trainDefault.ts'),
        '--tiny',
        '--steps',
        '2',
        '--out',
        out,
        '--cache',
        cache,
      ],
      { stdio: 'pipe', timeout: 300_000 },
    )
    for (const f of [
      'config.json',
      'model.safetensors',
      'tokenizer.json',
      'tokenizer_config.json',
      'training.json',
    ]) {
      expect(existsSync(join(out, f))).toBe(true)
    }
    const report = JSON.parse(readFileSync(join(out, 'training.json'), 'utf8'))
    expect(report.training.steps).toBe(2)
    expect(Number.isFinite(report.heldOutLoss)).toBe(true)
  }, 300_000)
})
