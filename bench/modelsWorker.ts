// One benchmark configuration in its own process, so that peak RSS is its own.
// argv: DIR QUANTIZATION ACCURACY_LEVEL CACHE_DIR → prints one JSON line.
import { rmSync } from 'node:fs'
import { loadModel } from '../native-models/io'
import type { Quantization } from '../native-models/runtime/types'

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
  await session.dispose()
  await model.dispose()
  const result = {
    coldLoadS,
    warmLoadS,
    prefillTokensPerS: 512 / prefillS,
    decodeTokensPerS: decodeTokens / decodeS,
    decodeCpuSecondsPerToken: (cpu.user + cpu.system) / 1e6 / decodeTokens,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
    quantizationReport: report,
  }
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`)
}

void main()
