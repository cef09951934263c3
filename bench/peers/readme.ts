// Writes the latest bench:peers run into README.md's generated block, so the table there is
// always one run's output, with the machine it ran on. `npm run bench:readme` rewrites it
// from bench/results/peers.json; `npm run bench:peers -- --readme` right after a run.

import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { replaceBlock } from '../readmeBlock'

export const PEERS_BLOCK = 'peers'

interface PeersResult {
  date?: string
  machine?: {
    cpuHeader?: string
    threads?: number
    totalMemGiB?: number
    loadAverageAtStart?: number[]
  }
  settings?: Record<string, number>
  bounds?: { bandwidthBytesPerSecond?: number; matMulGflops?: number }
  inference?: {
    table?: string
    longTable?: string
    skipped?: string
    models?: { label: string; parity?: { equal: boolean } }[]
  }
  training?: { table?: string; skipped?: string }
  loadAverageAtEnd?: number[]
  seconds?: number
}

/** The block's markdown: what ran where, then the tables as the run printed them. */
export function renderPeersBlock(r: PeersResult): string {
  const m = r.machine ?? {}
  const fixed = (x: number | undefined, digits = 1) =>
    x === undefined || !Number.isFinite(x) ? '?' : x.toFixed(digits)
  const settings = Object.entries(r.settings ?? {})
    .map(([k, v]) => `${k} ${v}`)
    .join(', ')
  const lines = [
    `Run of ${r.date?.slice(0, 16).replace('T', ' ') ?? '?'} UTC, ${fixed(r.seconds, 0)} s, ` +
      `${m.threads ?? '?'} thread(s) per engine, load average ${fixed(m.loadAverageAtStart?.[0])} at ` +
      `the start and ${fixed(r.loadAverageAtEnd?.[0])} at the end; ${settings}.`,
    '',
    `${m.cpuHeader ?? 'CPU: unknown'}; ${fixed(m.totalMemGiB, 0)} GiB. Bounds measured in the ` +
      `run: copy bandwidth ${fixed((r.bounds?.bandwidthBytesPerSecond ?? NaN) / 1e9)} GB/s, best ` +
      `ORT MatMul ${fixed(r.bounds?.matMulGflops)} GFLOP/s.`,
    '',
  ]
  const parity = (r.inference?.models ?? [])
    .filter((x) => x.parity)
    .map((x) => `${x.label} ${x.parity!.equal ? 'same tokens' : 'DIFFERENT tokens'}`)
  if (parity.length) {
    lines.push(
      `Greedy parity at f32 (12 tokens after a 12-token prompt): ${parity.join(', ')}.`,
      '',
    )
  }
  const code = (text: string) => ['```', text.trimEnd(), '```', '']
  if (r.inference?.table) lines.push(...code(r.inference.table))
  else if (r.inference?.skipped) lines.push(`Inference skipped: ${r.inference.skipped}`, '')
  if (r.inference?.longTable) lines.push(...code(r.inference.longTable))
  if (r.training?.table) lines.push(...code(r.training.table))
  else if (r.training?.skipped) lines.push(`Training skipped: ${r.training.skipped}`, '')
  return lines.join('\n')
}

export function writeReadmeBlock(result: unknown, readmePath = join(process.cwd(), 'README.md')) {
  const readme = readFileSync(readmePath, 'utf8')
  writeFileSync(
    readmePath,
    replaceBlock(readme, PEERS_BLOCK, renderPeersBlock(result as PeersResult)),
  )
}

if (process.argv[1]?.endsWith('readme.ts')) {
  const file = join(process.cwd(), 'bench/results/peers.json')
  writeReadmeBlock(JSON.parse(readFileSync(file, 'utf8')))
  console.log(`rewrote README.md's bench:${PEERS_BLOCK} block from ${file}`)
}
