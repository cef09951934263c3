// The bench:peers table: each figure, its fraction of the machine's bound, and the ratio
// Glassbox ÷ llama.cpp (above 1 means Glassbox is faster, except load time and RSS where
// below 1 is better).

import type { EngineResult } from './engineChild'

export interface Row {
  model: string
  format: string
  glassbox: EngineResult | { error: string }
  llamaCpp: EngineResult | { error: string }
  /** Weight bytes one decoded token reads: [glassbox, llama.cpp]. */
  decodeBytes: [number, number]
  prefillFlops: number
  bounds: { bandwidth: number; gflops: number }
  /** Glassbox's first load of this format: graph build, quantization and cache write. */
  glassboxFirstLoadSeconds?: number
}

const pad = (s: string, n: number) => s.padEnd(n)
const num = (x: number, digits = 1) => (Number.isFinite(x) ? x.toFixed(digits) : '-')

export function formatTable(rows: Row[], decodeCount: number): string {
  const header = [
    pad('model', 13),
    pad('glassbox / llama.cpp', 21),
    pad('metric', 17),
    pad('Glassbox', 16),
    pad('llama.cpp', 16),
    'ratio GB÷llama',
  ].join(' ')
  const lines = [header, '-'.repeat(header.length)]
  for (const row of rows) {
    const gb = 'error' in row.glassbox ? undefined : row.glassbox
    const lc = 'error' in row.llamaCpp ? undefined : row.llamaCpp
    const metric = (
      name: string,
      pick: (r: EngineResult) => number,
      bound?: (r: EngineResult, engine: 0 | 1) => number,
    ) => {
      const cell = (r: EngineResult | undefined, engine: 0 | 1) => {
        if (!r) return 'failed'
        const value = num(pick(r))
        const fraction = bound?.(r, engine)
        // No bound where the bytes a step reads are not known (run.ts, the GGUF-in rows).
        return fraction !== undefined && Number.isFinite(fraction)
          ? `${value} (${(fraction * 100).toFixed(0)}%)`
          : value
      }
      const ratio = gb && lc ? num(pick(gb) / pick(lc), 2) : '-'
      return [
        pad(row.model, 13),
        pad(row.format, 21),
        pad(name, 17),
        pad(cell(gb, 0), 16),
        pad(cell(lc, 1), 16),
        ratio,
      ].join(' ')
    }
    lines.push(
      metric('load s', (r) => r.loadSeconds),
      metric(
        'prefill tok/s',
        (r) => r.prefillTokensPerSecond,
        (r) => (r.prefillTokensPerSecond * row.prefillFlops) / (row.bounds.gflops * 1e9),
      ),
      metric(
        'decode tok/s',
        (r) => r.decodeTokensPerSecond,
        (r, e) => (r.decodeTokensPerSecond * row.decodeBytes[e]) / row.bounds.bandwidth,
      ),
      metric('peak RSS MiB', (r) => r.peakRssMiB),
    )
  }
  lines.push(
    '(%) = fraction of the bound: prefill of the best ORT MatMul rate, decode of copy bandwidth',
  )
  // A decode that ran out of its time budget measured its rate over fewer tokens: say so
  // (once per run: a llama.cpp run serves two rows).
  const notes = new Set<string>()
  for (const row of rows) {
    for (const [engine, r] of [
      ['Glassbox', row.glassbox],
      ['llama.cpp', row.llamaCpp],
    ] as const) {
      if ('error' in r || r.decodedTokens >= decodeCount) continue
      const format = row.format.split(' / ')[engine === 'Glassbox' ? 0 : 1]
      notes.add(
        `${row.model} ${engine} ${format}: decode rate over ${r.decodedTokens} of ${decodeCount} tokens (time budget)`,
      )
    }
  }
  lines.push(...notes)
  return lines.join('\n')
}
