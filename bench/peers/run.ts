// npm run bench:peers — Glassbox next to llama.cpp (inference) and PyTorch (training), same
// weights, same thread count, one run, with the machine's bounds measured alongside.
// Writes bench/results/peers.json. Env: BENCH_THREADS (default: all cores),
// BENCH_PEERS_ONLY=inference|training|gguf-in (the Q4_K_M-file rows alone), BENCH_PEERS_PREFILL (512), BENCH_PEERS_DECODE (128),
// BENCH_PEERS_DECODE_BUDGET_S (30; 0 = always the full decode), BENCH_PEERS_STEPS (8),
// BENCH_PEERS_TTFT (1024), BENCH_PEERS_LONG (4096), BENCH_PEERS_LONG_DECODE (64),
// BENCH_PEERS_MODELS (labels to run, comma-separated, e.g. SmolLM2-135M),
// GLASSBOX_PEERS_DIR (where node-llama-cpp goes). Prints each phase's wall time as it ends
// and a summary with the total at the end. `-- --readme` also rewrites README.md's generated
// block from this run (bench/peers/readme.ts; `npm run bench:readme` does it from the JSON).

import { mkdirSync, statSync, writeFileSync } from 'node:fs'
import { availableParallelism, loadavg, totalmem } from 'node:os'
import { join } from 'node:path'
import type { EngineRequest, EngineResult } from './engineChild'
import {
  fixtures,
  formats,
  modelShape,
  prepareFixture,
  prepareGguf,
  prepareQ4KM,
  runEngine,
  tokenIds,
} from './inference'
import { cpuHeader, cpuInfo } from '../cpuInfo'
import { ensureLlamaCpp } from './llamaCpp'
import { formatLongTable, longContextRows, longSettings, type LongRow } from './longContext'
import { matMulRates, memoryBandwidth } from './limits'
import { PhaseClock } from './phases'
import { writeReadmeBlock } from './readme'
import { formatTable, type Row } from './report'

// On a machine busier than its core count, llama.cpp's spinning thread pool collapses
// (measured here: 2 threads decoded 9x slower than 1 at load average 18 on 2 cores) and
// PyTorch's OpenMP pool does the same, so the run drops to 1 thread for every engine.
const busy = loadavg()[0] > availableParallelism()
const threads = Number(process.env.BENCH_THREADS ?? (busy ? 1 : availableParallelism()))
const prefillCount = Number(process.env.BENCH_PEERS_PREFILL ?? 512)
const decodeCount = Number(process.env.BENCH_PEERS_DECODE ?? 128)
const decodeBudgetSeconds = Number(process.env.BENCH_PEERS_DECODE_BUDGET_S ?? 30)
/** Greedy tokens both engines must agree on at f32; other formats only warm up with them. */
const PARITY_COUNT = 12
const WARMUP_COUNT = 2
const only = process.env.BENCH_PEERS_ONLY
const started = performance.now()
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0)} s`
const log = (line: string) => console.log(`[bench:peers ${elapsed()}] ${line}`)
const clock = new PhaseClock(log)

async function inference(bounds: { bandwidth: number; gflops: number }) {
  const install = ensureLlamaCpp(log)
  if (!install.ok) {
    log(`llama.cpp side skipped: ${install.reason}`)
    return { skipped: install.reason }
  }
  const root = join(process.cwd(), '.tmp/bench-peers')
  const rows: Row[] = []
  const longRows: LongRow[] = []
  const models: Record<string, unknown>[] = []
  const chosen = process.env.BENCH_PEERS_MODELS?.split(',').map((m) => m.trim())
  for (const fixture of fixtures.filter((f) => !chosen || chosen.includes(f.label))) {
    const dir = await clock.time(`${fixture.label} fixture`, () => prepareFixture(root, fixture))
    const shape = modelShape(dir)
    log(`${fixture.label}: ${(shape.matmulParams / 1e6).toFixed(1)} M matmul weights in ${dir}`)
    const base = {
      threads,
      llamaCppEntry: install.entry,
      parityPrompt: tokenIds(12, shape.vocab, 7),
      prefillTokens: tokenIds(prefillCount, shape.vocab, 11),
      decodeCount,
      decodeBudgetSeconds,
    }
    let parity: { equal: boolean; glassbox: number[]; llamaCpp: number[] } | undefined
    const llamaCppByType = new Map<string, EngineResult | { error: string }>()
    const chosenFormats = only === 'gguf-in' ? [] : formats
    for (const format of chosenFormats.filter(
      (f) => fixture.formats?.includes(f.glassbox) ?? true,
    )) {
      const gguf = await clock.time(`${fixture.label} GGUF ${format.gguf}`, () =>
        prepareGguf(dir, format.gguf),
      )
      // Only f32 is compared token by token; the others need just a warm-up of both graphs.
      const parityCount = format.glassbox === 'f32' ? PARITY_COUNT : WARMUP_COUNT
      const requests: [string, EngineRequest][] = [
        [
          'llama.cpp',
          { ...base, parityCount, engine: 'llama.cpp', model: gguf, quant: format.gguf },
        ],
        [
          'glassbox',
          { ...base, parityCount, engine: 'glassbox', model: dir, quant: format.glassbox },
        ],
      ]
      const results: Record<string, EngineResult | { error: string }> = {}
      // Glassbox builds (and quantizes) its graph on first load and caches it; llama.cpp
      // reads a GGUF quantized ahead of time. The timed load is the cached one for both.
      log(`${fixture.label} glassbox ${format.glassbox}: first load builds the graph cache...`)
      const cold = await clock.time(`${fixture.label} glassbox ${format.glassbox} first load`, () =>
        runEngine({ ...requests[1][1], loadOnly: true }),
      )
      const firstLoadSeconds = 'error' in cold ? NaN : cold.loadSeconds
      for (const [name, request] of requests) {
        // One llama.cpp run per GGUF type: the -acc4 rows compare against the same file.
        const reused = name === 'llama.cpp' ? llamaCppByType.get(format.gguf) : undefined
        if (reused) {
          results[name] = reused
          continue
        }
        log(`${fixture.label} ${name} ${request.quant}...`)
        results[name] = await clock.time(`${fixture.label} ${name} ${request.quant}`, () =>
          runEngine(request),
        )
        if ('error' in results[name]) log(`  failed: ${results[name].error}`)
        if (name === 'llama.cpp') llamaCppByType.set(format.gguf, results[name])
      }
      const gb = results.glassbox
      const lc = results['llama.cpp']
      if (format.glassbox === 'f32' && !('error' in gb) && !('error' in lc)) {
        parity = {
          equal: gb.parityTokens.join() === lc.parityTokens.join(),
          glassbox: gb.parityTokens,
          llamaCpp: lc.parityTokens,
        }
        log(
          `${fixture.label} f32 greedy parity: ${parity.equal ? 'same tokens' : 'DIFFERENT (void)'}`,
        )
      }
      rows.push({
        model: fixture.label,
        format: `${format.glassbox} / ${format.gguf}`,
        glassbox: gb,
        llamaCpp: lc,
        decodeBytes: format.bytes.map((b) => b * shape.matmulParams) as [number, number],
        prefillFlops: 2 * shape.matmulParams,
        bounds,
        glassboxFirstLoadSeconds: firstLoadSeconds,
      })
    }
    if (!process.env.BENCH_PEERS_NO_GGUF_IN) {
      // GGUF in: both engines read the same Q4_K_M file, each running its blocks.
      const file = await clock.time(`${fixture.label} GGUF q4_k_m`, () => prepareQ4KM(dir))
      const request = { ...base, parityCount: WARMUP_COUNT, model: file }
      const results: Record<string, EngineResult | { error: string }> = {}
      await runEngine({ ...request, engine: 'glassbox', quant: 'f32', loadOnly: true })
      for (const [name, quant] of [
        ['llama.cpp', 'q4_k_m'],
        ['glassbox', 'f32'],
      ] as const) {
        log(`${fixture.label} ${name} on the q4_k_m file...`)
        results[name] = await clock.time(`${fixture.label} ${name} gguf-in`, () =>
          runEngine({ ...request, engine: name, quant }),
        )
        if ('error' in results[name]) log(`  failed: ${results[name].error}`)
      }
      rows.push({
        model: fixture.label,
        format: 'q4_k_m file, both',
        glassbox: results.glassbox,
        llamaCpp: results['llama.cpp'],
        // Both run the file's blocks, but Glassbox holds 5- and 6-bit codes in 8-bit blocks
        // (more bytes than the file), so its bound is left out.
        decodeBytes: [NaN, statSync(file).size],
        prefillFlops: 2 * shape.matmulParams,
        bounds,
      })
    }
    models.push({ ...fixture, ...shape, parity })
    if (fixture.long && only !== 'gguf-in') {
      longRows.push(
        ...(await longContextRows({
          label: fixture.label,
          dir,
          vocab: shape.vocab,
          threads,
          llamaCppEntry: install.entry,
          clock,
          log,
        })),
      )
    }
  }
  const table = formatTable(rows, decodeCount)
  const longTable = longRows.length ? formatLongTable(longRows) : undefined
  console.log(['', cpuHeader(), table, longTable ?? '', ''].join('\n'))
  return { models, rows, table, longRows, longTable }
}

async function main() {
  const cpu = cpuInfo()
  log(cpuHeader(cpu))
  log(
    `${threads} thread(s)${busy && !process.env.BENCH_THREADS ? ' (machine busy)' : ''}; ` +
      `prefill ${prefillCount}, decode ${decodeCount}; ` +
      `${(totalmem() / 2 ** 30).toFixed(0)} GiB; load average ${loadavg()[0].toFixed(1)}`,
  )
  const bandwidth = await clock.time('bounds: copy bandwidth', () => memoryBandwidth(threads))
  const rates = await clock.time('bounds: ORT MatMul rates', () => matMulRates(threads))
  const gflops = Math.max(...rates.map((r) => r.gflops))
  log(
    `bounds: copy bandwidth ${(bandwidth / 1e9).toFixed(1)} GB/s, best ORT MatMul ${gflops.toFixed(1)} GFLOP/s`,
  )
  const bounds = { bandwidth, gflops }
  const result: Record<string, unknown> = {
    date: new Date().toISOString(),
    machine: {
      cpu: cpu.model,
      cpuFlags: cpu.flags,
      cpuHeader: cpuHeader(cpu),
      totalMemGiB: totalmem() / 2 ** 30,
      cores: availableParallelism(),
      threads,
      loadAverageAtStart: loadavg(),
    },
    settings: { prefillCount, decodeCount, decodeBudgetSeconds, ...longSettings },
    bounds: { bandwidthBytesPerSecond: bandwidth, matMulGflops: gflops, matMul: rates },
  }
  if (only !== 'training') result.inference = await inference(bounds)
  if (only !== 'inference' && only !== 'gguf-in') {
    const { training } = await import('./training')
    result.training = await training({ threads, gflops, log, clock })
  }
  result.seconds = clock.totalSeconds()
  result.phases = clock.phases
  result.loadAverageAtEnd = loadavg()
  mkdirSync('bench/results', { recursive: true })
  writeFileSync('bench/results/peers.json', JSON.stringify(result, null, 2))
  console.log('\n' + clock.summary() + '\n')
  log(`done in ${elapsed()}; wrote bench/results/peers.json`)
  if (process.argv.includes('--readme')) {
    writeReadmeBlock(result)
    log('rewrote the generated block of README.md')
  }
}

main().catch((error: Error) => {
  console.error(error.stack ?? error.message)
  process.exit(1)
})
