import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { loadModel, writeFixtureModel } from '../native-models/io'
import { inspectText } from '../main/services/inspect/localInspector'

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
    const t0 = performance.now()
    const insides = await model.insides(model.tokenizer.encode(text))
    const insidesMs = performance.now() - t0
    const result = await inspectText(model, { modelId: 0, modelName: label, text, topK: 5 })
    const summaryBytes = JSON.stringify(result.summary).length
    const { attentions, numHeads, seqLen } = result.analysis
    const attentionBytes = attentions.reduce((s, a) => s + a.byteLength, 0)
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
      hiddenLayers: insides.hidden.length,
    }
  } finally {
    await model.dispose()
  }
}

export async function run(): Promise<Record<string, unknown>> {
  const rows: Record<string, unknown>[] = []
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
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true })
  }
  console.table(rows)
  return { tokens: TOKENS, rows }
}
