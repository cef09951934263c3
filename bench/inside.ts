import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { loadModel, writeFixtureModel } from '../native-models/io'
import { inspectText } from '../main/services/inspect/localInspector'
import { measureInBrowser } from './insideBrowser'

// Time to compute and draw the insides of a 256-token text: the forward pass with attention
// and hidden states, the logit lens (every layer through the final norm + LM head), the
// summary's JSON size, and painting every head of one layer as the heat map does.

const TOKENS = 256

function textOf(model: Awaited<ReturnType<typeof loadModel>>, tokens: number): string {
  const words = 'the model reads every word and attends to the words before it while it writes '
  let text = words
  while (model.tokenizer.encode(text).length < tokens) text += words
  // Trim word by word to land on the target length as closely as the tokenizer allows.
  const parts = text.split(' ')
  while (parts.length > 1 && model.tokenizer.encode(parts.join(' ')).length > tokens) parts.pop()
  return parts.join(' ')
}

async function measure(label: string, dir: string) {
  const loadStart = performance.now()
  const model = await loadModel(dir)
  const loadMs = performance.now() - loadStart
  try {
    const text = textOf(model, TOKENS)
    const ids = model.tokenizer.encode(text)
    await model.insides(ids.slice(0, 8)) // builds (or loads) the insides graph variant
    const t0 = performance.now()
    await model.insides(ids)
    const insidesMs = performance.now() - t0
    const result = await inspectText(model, { modelId: 0, modelName: label, text, topK: 5 })
    const summaryBytes = JSON.stringify(result.summary).length
    const { attentions, numHeads, seqLen } = result.analysis
    const attentionBytes = attentions.reduce((s, a) => s + a.byteLength, 0)
    // The renderer's pixel work for one layer (every head painted once), in this process:
    // attentionMath is DOM-free; the import is by variable so the node tsconfig leaves the
    // renderer's files to the web one.
    const mathPath = '../renderer/src/inside/attentionMath'
    const math = (await import(mathPath)) as {
      paintHeatmap(m: ArrayLike<number>, n: number, rgba: Uint8ClampedArray): void
      decodeWeights(b64: string): Float32Array
    }
    const last = attentions[attentions.length - 1]
    const p0 = performance.now()
    const wire = Buffer.from(last.buffer, last.byteOffset, last.byteLength).toString('base64')
    const decoded = math.decodeWeights(wire)
    const rgba = new Uint8ClampedArray(seqLen * seqLen * 4)
    for (let h = 0; h < numHeads; h++) {
      math.paintHeatmap(
        decoded.subarray(h * seqLen * seqLen, (h + 1) * seqLen * seqLen),
        seqLen,
        rgba,
      )
    }
    const paintMs = performance.now() - p0
    return {
      model: label,
      tokens: seqLen,
      layers: result.analysis.numLayers,
      heads: numHeads,
      loadMs: Math.round(loadMs),
      insidesForwardMs: Math.round(insidesMs),
      inspectTotalMs: Math.round(result.computeMs),
      lensAndAnalysisMs: Math.round(result.computeMs - insidesMs),
      summaryJsonKiB: Math.round(summaryBytes / 1024),
      attentionMiB: +(attentionBytes / 2 ** 20).toFixed(1),
      layerWireKiB: Math.round(wire.length / 1024),
      decodeAndPaintLayerMs: +paintMs.toFixed(1),
    }
  } finally {
    await model.dispose()
  }
}

export async function run(): Promise<Record<string, unknown>> {
  const rows: Record<string, unknown>[] = []
  let browser: Record<string, unknown> | null = null
  const defaultDir = path.resolve('native-models/default')
  if (fs.existsSync(path.join(defaultDir, 'config.json'))) {
    rows.push(await measure('default', defaultDir))
  } else {
    console.log('inside: no default model in native-models/default yet, skipped that row')
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'glassbox-bench-inside-'))
  try {
    const dir = path.join(tmp, 'smollm2')
    await writeFixtureModel(dir, { arch: 'llama', preset: 'smollm2-135m', seed: 1 })
    rows.push(await measure('smollm2-135m-shaped fixture', dir))
    const model = await loadModel(dir)
    const text = textOf(model, TOKENS)
    await model.dispose()
    const browserRow = await measureInBrowser(dir, text)
    if (browserRow) {
      console.table([browserRow])
      browser = { model: 'smollm2-135m-shaped fixture', ...browserRow }
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true })
  }
  console.table(rows)
  return { tokens: TOKENS, rows, browser }
}
