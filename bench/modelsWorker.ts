// One benchmark configuration in its own process, so that peak RSS is its own.
// argv: DIR QUANTIZATION ACCURACY_LEVEL CACHE_DIR → prints one JSON line.
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { onnx } from 'onnx-proto'
import { loadModel } from '../native-models/io'
import type { Quantization } from '../native-models/runtime/types'

/**
 * Nodes of the plain graph the load built, as written (ort's optimizer removes a few more):
 * the cache entry with quantization.json when the model is quantized, else the only one.
 */
function plainGraphNodes(cacheDir: string): number {
  const entries = readdirSync(cacheDir)
    .map((d) => join(cacheDir, d))
    .filter((d) => existsSync(join(d, 'plain.onnx')))
  const dir = entries.find((d) => existsSync(join(d, 'quantization.json'))) ?? entries[0]
  return onnx.ModelProto.decode(readFileSync(join(dir, 'plain.onnx'))).graph?.node?.length ?? 0
}

async function main(): Promise<void> {
  const [dir, quantization, accuracy, cacheDir] = process.argv.slice(2)
  const opts = {
    quantization: quantization as Quantization,
    accuracyLevel: Number(accuracy) as 0 | 4,
    cacheDir,
    executionProvider: 'cpu' as const,
  }
  rmSync(cacheDir, { recursive: true, force: true })
  let t = performance.now()
  const cold = await loadModel(dir, opts)
  const coldLoadS = (performance.now() - t) / 1000
  const report = cold.info.quantizationReport
  await cold.dispose()
  t = performance.now()
  const model = await loadModel(dir, opts)
  const warmLoadS = (performance.now() - t) / 1000
  const prompt = Array.from(
    { length: 512 },
    (_, i) => (i * 37 + 11) % Math.min(model.info.vocabSize, 256),
  )
  const session = model.newSession()
  await session.prefill(prompt.slice(0, 8)) // warm-up
  session.truncate(0)
  t = performance.now()
  await session.prefill(prompt)
  const prefillS = (performance.now() - t) / 1000
  const decodeTokens = 128
  const cpu0 = process.cpuUsage()
  t = performance.now()
  for (let i = 0; i < decodeTokens; i++) await session.decode((i * 13) % 256)
  const decodeS = (performance.now() - t) / 1000
  const cpu = process.cpuUsage(cpu0)
  // llama-bench's tg128: the same 128 tokens from an empty context, where attention over the
  // cache costs little and the weights dominate.
  session.truncate(0)
  await session.prefill(prompt.slice(0, 1))
  t = performance.now()
  for (let i = 0; i < decodeTokens; i++) await session.decode((i * 13) % 256)
  const decodeFromEmptyS = (performance.now() - t) / 1000
  await session.dispose()
  await model.dispose()
  const result = {
    coldLoadS,
    warmLoadS,
    prefillTokensPerS: 512 / prefillS,
    decodeTokensPerS: decodeTokens / decodeS,
    decodeFromEmptyTokensPerS: decodeTokens / decodeFromEmptyS,
    decodeCpuSecondsPerToken: (cpu.user + cpu.system) / 1e6 / decodeTokens,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
    decodeGraphNodes: plainGraphNodes(cacheDir),
    quantizationReport: report,
  }
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`)
}

void main()
