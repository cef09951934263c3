// The long-context rows of bench:peers: what a chat of thousands of tokens costs. Time to
// first token for a fresh 1,024-token prompt, then a 4,096-token prompt prefilled and 64
// tokens decoded after it; peak RSS is that run's (the cache and its buffers, not only the
// weights). Same weights, threads and token ids for both engines.

import type { EngineRequest, EngineResult } from './engineChild'
import { formats, longFormats, prepareGguf, runEngine, tokenIds } from './inference'
import type { PhaseClock } from './phases'

export const longSettings = {
  ttftCount: Number(process.env.BENCH_PEERS_TTFT ?? 1024),
  longCount: Number(process.env.BENCH_PEERS_LONG ?? 4096),
  longDecodeCount: Number(process.env.BENCH_PEERS_LONG_DECODE ?? 64),
}

export interface LongRow {
  model: string
  format: string
  glassbox: EngineResult | { error: string }
  llamaCpp: EngineResult | { error: string }
}

export async function longContextRows(options: {
  label: string
  dir: string
  vocab: number
  threads: number
  llamaCppEntry: string
  clock: PhaseClock
  log: (line: string) => void
}): Promise<LongRow[]> {
  const { label, dir, vocab, clock, log } = options
  const long = {
    ttftPrompt: tokenIds(longSettings.ttftCount, vocab, 13),
    prompt: tokenIds(longSettings.longCount, vocab, 17),
    decodeCount: longSettings.longDecodeCount,
  }
  const rows: LongRow[] = []
  for (const format of formats.filter((f) => longFormats.includes(f.glassbox))) {
    const gguf = prepareGguf(dir, format.gguf)
    const base = {
      threads: options.threads,
      llamaCppEntry: options.llamaCppEntry,
      parityPrompt: tokenIds(4, vocab, 7),
      parityCount: 2,
      prefillTokens: [],
      decodeCount: 0,
      decodeBudgetSeconds: 0,
      long,
    }
    const run = (name: string, request: EngineRequest) => {
      log(`${label} long context ${name} ${request.quant}...`)
      return clock.time(`${label} long ${name} ${request.quant}`, () => {
        const r = runEngine(request)
        if ('error' in r) log(`  failed: ${r.error}`)
        return r
      })
    }
    rows.push({
      model: label,
      format: `${format.glassbox} / ${format.gguf}`,
      llamaCpp: await run('llama.cpp', {
        ...base,
        engine: 'llama.cpp',
        model: gguf,
        quant: format.gguf,
      }),
      glassbox: await run('glassbox', {
        ...base,
        engine: 'glassbox',
        model: dir,
        quant: format.glassbox,
      }),
    })
  }
  return rows
}

const num = (x: number | undefined, digits = 1) =>
  x !== undefined && Number.isFinite(x) ? x.toFixed(digits) : '-'

export function formatLongTable(rows: LongRow[]): string {
  const { ttftCount, longCount, longDecodeCount } = longSettings
  const cols = [13, 21, 26, 10, 10]
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(cols[i] ?? 0)).join(' ')
  const header = line([
    'model',
    'glassbox / llama.cpp',
    'metric',
    'Glassbox',
    'llama.cpp',
    'ratio GB÷llama',
  ])
  const out = [header, '-'.repeat(header.length)]
  for (const row of rows) {
    const gb = 'error' in row.glassbox ? undefined : row.glassbox
    const lc = 'error' in row.llamaCpp ? undefined : row.llamaCpp
    const metric = (name: string, pick: (r: EngineResult) => number | undefined, digits = 1) => {
      const [a, b] = [gb && pick(gb), lc && pick(lc)]
      out.push(
        line([
          row.model,
          row.format,
          name,
          gb ? num(a, digits) : 'failed',
          lc ? num(b, digits) : 'failed',
          a !== undefined && b !== undefined ? num(a / b, 2) : '-',
        ]),
      )
    }
    metric(`TTFT s, ${ttftCount}-token prompt`, (r) => r.ttftSeconds, 2)
    metric(`prefill tok/s, ${longCount}`, (r) => r.longPrefillTokensPerSecond)
    metric(`decode tok/s after ${longCount}`, (r) => r.longDecodeTokensPerSecond)
    metric('peak RSS MiB', (r) => r.peakRssMiB)
  }
  out.push(
    `Long context: ${longDecodeCount} tokens decoded after the ${longCount}-token prompt; ` +
      'TTFT and RSS: below 1 is better for Glassbox.',
  )
  return out.join('\n')
}
