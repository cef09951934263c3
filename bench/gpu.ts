// npm run bench:gpu: the WebGPU/GPU check a machine with a GPU runs. First the GPU suite
// (native-models/runtime/webgpu.test.ts: logits equal CPU's, products placed on the provider),
// then each fixture model decoding on every provider that works here, as a ratio to the CPU
// measured in the same run. On a machine without a GPU, WebGPU runs on SwiftShader when
// VK_ICD_FILENAMES names it (slower than the CPU: it proves the path, not the speed).
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { benchmarkProviders } from '../main/compute/providerBenchmark'
import { probeHardware } from '../main/compute/hardware'
import { writeFixtureModel } from '../native-models/io'
import type { FixtureArch, Quantization } from '../native-models/runtime/types'
import { cpuHeader } from './cpuInfo'

const MODELS: { arch: FixtureArch; quantization: Quantization }[] = [
  { arch: 'llama', quantization: 'none' },
  { arch: 'llama', quantization: 'int4' },
  { arch: 'qwen3', quantization: 'none' },
  { arch: 'gpt2', quantization: 'none' },
]

async function main(): Promise<void> {
  console.log(cpuHeader())
  const info = await probeHardware(null, [])
  console.log(`GPUs: ${info.gpus.map((g) => g.name).join(', ') || 'none found'}`)
  for (const p of info.providers) {
    const adapter = p.adapter
      ? ` on ${p.adapter.name}${p.adapter.software ? ' (software)' : ''}`
      : ''
    console.log(`  ${p.name.padEnd(9)} ${p.state}${adapter}${p.reason ? `: ${p.reason}` : ''}`)
  }
  const providers = info.providers.filter((p) => p.state === 'works').map((p) => p.name)

  if (!process.argv.includes('--no-suite')) {
    console.log('\n== GPU suite (vitest native-models/runtime/webgpu.test.ts)')
    const suite = spawnSync('npx', ['vitest', 'run', 'native-models/runtime/webgpu.test.ts'], {
      stdio: 'inherit',
    })
    if (suite.status !== 0) process.exitCode = 1
  }

  console.log('\n== decode tokens/s per provider (ratio to CPU, same run)')
  const root = mkdtempSync(join(tmpdir(), 'glassbox-bench-gpu-'))
  try {
    for (const m of MODELS) {
      const dir = join(root, m.arch)
      await writeFixtureModel(dir, { arch: m.arch, seed: 1 })
      const results = await benchmarkProviders(
        { path: dir, quantization: m.quantization },
        providers,
        32,
      )
      const cpu = results.find((r) => r.provider === 'cpu')?.tokensPerSecond ?? null
      const cells = results.map((r) =>
        r.tokensPerSecond === null
          ? `${r.provider} failed (${r.error})`
          : `${r.provider} ${r.tokensPerSecond.toFixed(1)}${cpu ? ` (${(r.tokensPerSecond / cpu).toFixed(2)}×)` : ''}`,
      )
      console.log(`  ${m.arch} ${m.quantization}: ${cells.join(' · ')}`)
    }
  } finally {
    rmSync(root, { recursive: true, force: true })
  }
}

void main()
