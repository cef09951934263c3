// Model engine benchmark: random models shaped like SmolLM2-135M and GPT-2 small, f32 / int8
// / int4: load time, prefill (512 tokens) and decode (128 tokens, after the 512-token prompt
// and from an empty context as llama-bench's tg128) speed, peak RSS, and the decode rates as
// fractions of the memory-bandwidth bound measured in the same run.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { INT4_BLOCK_SIZE, parseConfig, type ArchConfig } from '../native-models/arch'
import { writeFixtureModel } from '../native-models/io'
import type { FixtureOptions } from '../native-models/runtime/types'
import { readFileSync } from 'node:fs'

const MODELS: { name: string; fixture: FixtureOptions }[] = [
  { name: 'smollm2-135m-shaped', fixture: { arch: 'llama', preset: 'smollm2-135m' } },
  { name: 'gpt2-small-shaped', fixture: { arch: 'gpt2', preset: 'gpt2-small' } },
]

const CONFIGS = [
  { name: 'f32', quantization: 'none', accuracy: 0, bits: 32 },
  // accuracy_level 4 (int8 activations) is the default for quantized models; int4 with f32
  // activations (level 0) is measured too. int8 at level 0 is left out: ort's 8-bit kernel
  // without activation quantization is ~16x slower per token than level 4.
  { name: 'int8', quantization: 'int8', accuracy: 4, bits: 8 },
  { name: 'int4', quantization: 'int4', accuracy: 4, bits: 4 },
  { name: 'int4-acc0', quantization: 'int4', accuracy: 0, bits: 4 },
] as const

/** Copy bandwidth (read + write bytes per second) of a 256 MiB memcpy, best of 5. */
export function measureBandwidthGBs(): number {
  const size = 256 * 1024 * 1024
  const src = Buffer.alloc(size, 1)
  const dst = Buffer.alloc(size)
  let best = Infinity
  for (let i = 0; i < 5; i++) {
    const t = performance.now()
    src.copy(dst)
    best = Math.min(best, (performance.now() - t) / 1000)
  }
  return (2 * size) / best / 1e9
}

/** Bytes of weights one decode step reads: every projection and the LM head. */
export function weightBytesPerToken(c: ArchConfig, bits: number): number {
  const h = c.hiddenSize
  const q = c.numHeads * c.headDim
  const kv = c.numKvHeads * c.headDim
  const perLayer =
    c.family === 'gpt2'
      ? h * 3 * h + h * h + 2 * h * c.intermediateSize
      : h * q + 2 * h * kv + q * h + 3 * h * c.intermediateSize
  const params = c.numLayers * perLayer + c.vocabSize * h
  if (bits === 32) return params * 4
  // Codes, plus per block a float scale and a packed zero point.
  const block = bits === 4 ? INT4_BLOCK_SIZE : 32
  return params * (bits / 8) + (params / block) * (4 + bits / 8)
}

export async function run(): Promise<Record<string, unknown>> {
  const root = join(tmpdir(), 'glassbox-bench')
  const bandwidthGBs = measureBandwidthGBs()
  console.log(
    `memory copy bandwidth ${bandwidthGBs.toFixed(1)} GB/s; ${cpus().length} cores; load average ${loadavg()[0].toFixed(1)}`,
  )
  const rows: Record<string, unknown>[] = []
  for (const m of MODELS) {
    const dir = join(root, m.name)
    if (!existsSync(join(dir, 'config.json'))) await writeFixtureModel(dir, m.fixture)
    const cfg = parseConfig(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')))
    for (const c of CONFIGS) {
      const worker = join(process.cwd(), 'bench', 'modelsWorker.ts')
      const r = spawnSync(
        process.execPath,
        [
          ...process.execArgv,
          worker,
          dir,
          c.quantization,
          String(c.accuracy),
          join(root, `cache-${m.name}-${c.name}`),
        ],
        {
          encoding: 'utf8',
          maxBuffer: 1 << 24,
        },
      )
      const line = r.stdout.split('\n').find((l) => l.startsWith('RESULT '))
      if (!line) {
        console.error(
          `${m.name} ${c.name} failed: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`,
        )
        continue
      }
      const res = JSON.parse(line.slice(7))
      const bytes = weightBytesPerToken(cfg, c.bits)
      const boundTokensPerS = (bandwidthGBs * 1e9) / bytes
      const row = {
        model: m.name,
        config: c.name,
        weightMBPerToken: bytes / 1e6,
        boundTokensPerS,
        fractionOfBound: res.decodeTokensPerS / boundTokensPerS,
        fractionOfBoundFromEmpty: res.decodeFromEmptyTokensPerS / boundTokensPerS,
        ...res,
      }
      rows.push(row)
      const q = res.quantizationReport
      console.log(
        [
          m.name.padEnd(20),
          c.name.padEnd(10),
          `load ${res.coldLoadS.toFixed(1)}s cold / ${res.warmLoadS.toFixed(1)}s cached`,
          `prefill ${res.prefillTokensPerS.toFixed(0)} tok/s`,
          `decode ${res.decodeTokensPerS.toFixed(1)} tok/s after the prompt (${(100 * row.fractionOfBound).toFixed(0)}% of ${boundTokensPerS.toFixed(1)})`,
          `${res.decodeFromEmptyTokensPerS.toFixed(1)} tok/s from empty (${(100 * row.fractionOfBoundFromEmpty).toFixed(0)}%)`,
          // CPU time per token is steadier than tok/s on a machine shared with other work.
          `cpu ${(res.decodeCpuSecondsPerToken * 1000).toFixed(1)} ms/tok`,
          `RSS ${res.peakRssMB.toFixed(0)} MB`,
          `${res.decodeGraphNodes} nodes`,
          q
            ? `Δlogit ${q.maxLogitDiff.toFixed(3)} ppl ${q.perplexityF32.toFixed(1)}→${q.perplexityQuantized.toFixed(1)}`
            : '',
        ].join('  '),
      )
    }
  }
  const aim = 0.6
  const meets = (r: Record<string, unknown>) => (r.fractionOfBoundFromEmpty as number) >= aim
  const name = (r: Record<string, unknown>) => `${r.model} ${r.config}`
  console.log(
    `aim: decode at ≥ ${aim * 100}% of the bound (from an empty context). Met: ${
      rows.filter(meets).map(name).join(', ') || 'none'
    }. Not met: ${
      rows
        .filter((r) => !meets(r))
        .map(name)
        .join(', ') || 'none'
    }.`,
  )
  return { bandwidthGBs, cores: cpus().length, loadAverage: loadavg()[0], aim, rows }
}
