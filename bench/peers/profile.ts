// Where Glassbox's time goes: runs the cached inference graph of a bench fixture with
// onnxruntime's profiler on, one prefill and a few decode steps fed exactly as the runtime
// feeds them, and sums the profile by op type; wall time minus kernel time is what the
// session call and the JS around it cost.
//   npx tsx bench/peers/profile.ts .tmp/bench-peers/smollm2-135m [prefill] [decode steps]
// PROFILE_VARIANT=f32|int8|int4 picks the fixture's cached graph; PROFILE_ENTRY=<cache entry
// dir> profiles that graph (a GGUF file's) with the fixture's config. PROFILE_BY=scope adds
// the time per node scope (which matrix, which part of the head).

import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { onnx } from 'onnx-proto'
import * as ort from 'onnxruntime-node'
import { IO, parseConfig } from '../../native-models/arch'
import { scopeOf } from '../../native-models/arch/graphNames'
import { RowKvCache } from '../../native-models/runtime/kvCache'
import { EmbeddingRows, withEmbeddingRows } from '../../native-models/io/embeddingRows'
import { GraphCache } from '../../native-models/io/graphCache'
import { DEFAULT_PREFILL_CHUNK } from '../../native-models/runtime/model'
import { benchGraphCache } from './glassboxEngine'

/** The entry's embedding table, found where loadModel finds it (GraphCache.tensorFile). */
function embeddingRowsOf(entryDir: string, config: Record<string, number>) {
  const cache = new GraphCache(dirname(entryDir))
  const key = basename(entryDir)
  // Its name, from a side file, the tied head's initializer or that head's first row chunk.
  const table = /^(.*(?:wte|embed_tokens)\.weight)(?:\.rows0|\.f32)?$/
  const layout = cache.readJson<Record<string, unknown>>(key, 'layout.json') ?? {}
  const name = [...readdirSync(entryDir), ...Object.keys(layout)]
    .map((n) => table.exec(n)?.[1])
    .find((n) => n !== undefined)
  if (!name) throw new Error(`${entryDir}: no embedding table among its files`)
  const at = cache.tensorFile(key, name, () => {
    throw new Error(`${entryDir}: ${name} is neither in weights.bin nor a side file`)
  })
  const hidden = config.hidden_size ?? config.n_embd
  return new EmbeddingRows(at.file, at.offset, config.vocab_size, hidden)
}

interface ProfileEvent {
  cat: string
  name: string
  dur: number
  ts: number
  args?: { op_name?: string }
}

/** The fused graph's cache element type: float16 where its past_key_values input is. */
function cacheType(path: string): 'float32' | 'float16' {
  const model = onnx.ModelProto.decode(readFileSync(path))
  const past = model.graph?.input?.find((i) => i.name?.startsWith('past_key_values'))
  return past?.type?.tensorType?.elemType === onnx.TensorProto.DataType.FLOAT16
    ? 'float16'
    : 'float32'
}

/** f32, int8 or int4: MatMulNBits' `bits`, or int8 for MLAS's per-channel integer GEMM. */
function cachedVariant(entryDir: string): string | undefined {
  const path = join(entryDir, 'plain.onnx')
  if (!existsSync(path)) return undefined
  const model = onnx.ModelProto.decode(readFileSync(path))
  const nBits = model.graph?.node?.find((n) => n.opType === 'MatMulNBits')
  const bits = nBits?.attribute?.find((a) => a.name === 'bits')?.i
  if (bits) return `int${Number(bits)}`
  return model.graph?.node?.some((n) => n.opType === 'MatMulIntegerToFloat') ? 'int8' : 'f32'
}

/**
 * Bytes of weights per node scope and op ('/model/layers.N/mlp/down_proj MatMulNBits', all
 * layers together), read off the entry's layout: what one run streams from memory.
 */
function scopeWeightBytes(entryDir: string): Map<string, number> {
  const layout = JSON.parse(readFileSync(join(entryDir, 'layout.json'), 'utf8')) as Record<
    string,
    { length: number }
  >
  const bytes = new Map<string, number>()
  for (const [name, { length }] of Object.entries(layout)) {
    const matrix = name.match(/^(.*)\.weight(\.q|\.scales|\.zp)?$/)
    if (!matrix) continue
    // Blocks feed MatMulNBits (per-channel int8 rows: MatMulIntegerToFloat, keyed the same);
    // a plain float matrix feeds MatMul (or is a lookup table).
    const key = `${foldLayers(scopeOf(`${matrix[1]}.weight`))} ${matrix[2] ? 'MatMulNBits' : 'MatMul'}`
    bytes.set(key, (bytes.get(key) ?? 0) + length)
  }
  return bytes
}

const byteOp: Record<string, string> = {
  FusedMatMul: 'MatMul',
  MatMulIntegerToFloat: 'MatMulNBits',
}

const foldLayers = (scope: string) => scope.replace(/layers\.\d+/, 'layers.*')

/**
 * Kernel time per node scope and op, layers folded, per run: which matrix or which part of
 * the head takes the time, and (decode, where bytes bound it) the rate at which a matrix
 * product reads its weights.
 */
function printScopes(
  nodes: ProfileEvent[],
  runs: number,
  kernelMs: number,
  weightBytes: Map<string, number>,
): void {
  const byScope = new Map<string, { us: number; calls: number }>()
  for (const n of nodes) {
    const node = n.name.replace(/_kernel_time$/, '')
    const cut = node.lastIndexOf('/')
    const scope = cut > 0 ? foldLayers(node.slice(0, cut)) : '(top)'
    const key = `${scope} ${n.args?.op_name ?? '?'}`
    const cell = byScope.get(key) ?? { us: 0, calls: 0 }
    cell.us += n.dur
    cell.calls += 1
    byScope.set(key, cell)
  }
  console.log('  by scope, per run (layers folded):')
  for (const [key, { us, calls }] of [...byScope].sort((a, b) => b[1].us - a[1].us).slice(0, 24)) {
    const ms = us / 1000 / runs
    const [scope, op] = key.split(' ')
    const bytes = weightBytes.get(`${scope} ${byteOp[op] ?? op}`)
    const layerCalls = calls / runs
    const rate = bytes ? `  ${(bytes / (ms / 1000) / 1e9).toFixed(1)} GB/s` : ''
    console.log(
      `    ${key.padEnd(52)} ${ms.toFixed(2).padStart(8)} ms  ${((us / 1000 / kernelMs) * 100).toFixed(1).padStart(5)}%  ×${layerCalls.toFixed(0)}${rate}`,
    )
  }
}

async function main() {
  const dir = process.argv[2]
  const prefill = Number(process.argv[3] ?? 64)
  const steps = Number(process.argv[4] ?? 16)
  const threads = Number(process.env.BENCH_THREADS ?? 1)
  const cacheRoot = benchGraphCache(dir)
  const variant = process.env.PROFILE_VARIANT ?? 'f32'
  // PROFILE_ENTRY: a cache entry to profile instead (e.g. a GGUF file's, under bench-graphs/).
  const entryDir =
    process.env.PROFILE_ENTRY ??
    join(
      cacheRoot,
      readdirSync(cacheRoot).find((k) => cachedVariant(join(cacheRoot, k)) === variant) ?? '',
    )
  if (!existsSync(join(entryDir, 'plain.onnx')))
    throw new Error(`no cached ${variant} graph under ${cacheRoot}: run bench:peers first`)
  const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<
    string,
    number
  >
  const layers = config.num_hidden_layers ?? config.n_layer
  const heads = config.num_attention_heads ?? config.n_head
  const kvHeads = config.num_key_value_heads ?? heads
  const headDim = (config.hidden_size ?? config.n_embd) / heads
  const created = await ort.InferenceSession.create(join(entryDir, 'plain.onnx'), {
    executionProviders: ['cpu'],
    intraOpNumThreads: threads,
    enableProfiling: true,
    profileFilePrefix: join(dir, 'glassbox-profile'),
  })
  // A graph that takes embeddings reads them as the runtime does (io/embeddingRows.ts).
  const session = created.inputNames.includes(IO.embeds)
    ? withEmbeddingRows(created, embeddingRowsOf(entryDir, config))
    : created
  // The runtime's default graph reads the cache as rows and returns only the new ones
  // (RowKvCache); older cached graphs take past/present tensors by concatenation.
  const rows = session.outputNames.includes(IO.newRows)
    ? new RowKvCache(parseConfig(config), cacheType(join(entryDir, 'plain.onnx')))
    : null
  let past: ort.Tensor[] = Array.from(
    { length: 2 * layers },
    () => new ort.Tensor('float32', new Float32Array(0), [1, kvHeads, 0, headDim]),
  )
  const wall: { phase: string; start: number; ms: number }[] = []
  const run = async (ids: number[], phase: string) => {
    const idsTensor = new ort.Tensor('int64', BigInt64Array.from(ids, BigInt), [1, ids.length])
    const lastN = new ort.Tensor('int64', BigInt64Array.of(1n), [1])
    let feeds: Record<string, ort.Tensor> = { input_ids: idsTensor, num_logits: lastN }
    if (rows) feeds = rows.feeds(idsTensor, lastN)
    else {
      for (let i = 0; i < layers; i++) {
        feeds[`past_key_values.${i}.key`] = past[2 * i]
        feeds[`past_key_values.${i}.value`] = past[2 * i + 1]
      }
    }
    const start = performance.now()
    const out = await session.run(feeds)
    const logits = out.logits.data as Float32Array
    let best = 0
    for (let i = 1; i < logits.length; i++) if (logits[i] > logits[best]) best = i
    wall.push({ phase, start, ms: performance.now() - start })
    if (rows) rows.append(out[IO.newRows].data as Float32Array, ids.length)
    else {
      past = Array.from({ length: layers }, (_, i) => [
        out[`present.${i}.key`],
        out[`present.${i}.value`],
      ]).flat()
    }
    return best
  }
  // In the runtime's chunks (OrtModel.prefill), so a long prompt runs the shapes it runs.
  const prompt = Array.from({ length: prefill }, (_, i) => (i * 7919) % config.vocab_size)
  let next = 0
  for (let i = 0; i < prompt.length; i += DEFAULT_PREFILL_CHUNK)
    next = await run(prompt.slice(i, i + DEFAULT_PREFILL_CHUNK), 'prefill')
  for (let s = 0; s < steps; s++) next = await run([next], 'decode')
  const file = (session as unknown as { endProfiling(): string }).endProfiling?.()
  const profilePath =
    file && existsSync(file)
      ? file
      : readdirSync(dir)
          .filter((f) => f.startsWith('glassbox-profile'))
          .map((f) => join(dir, f))
          .at(-1)!
  const events = JSON.parse(readFileSync(profilePath, 'utf8')) as ProfileEvent[]
  const weightBytes = scopeWeightBytes(entryDir)
  rmSync(profilePath)
  const runs = events.filter((e) => e.cat === 'Session' && e.name === 'model_run')
  const nodes = events.filter((e) => e.cat === 'Node' && e.name.endsWith('_kernel_time'))
  for (const phase of ['prefill', 'decode']) {
    const idx = wall.map((w, i) => (w.phase === phase ? i : -1)).filter((i) => i >= 0)
    const phaseRuns = idx.map((i) => runs[i]).filter(Boolean)
    const inRuns = nodes.filter((n) => phaseRuns.some((r) => n.ts >= r.ts && n.ts <= r.ts + r.dur))
    const byOp = new Map<string, number>()
    for (const n of inRuns)
      byOp.set(n.args?.op_name ?? '?', (byOp.get(n.args?.op_name ?? '?') ?? 0) + n.dur)
    const kernelMs = [...byOp.values()].reduce((a, b) => a + b, 0) / 1000
    const wallMs = idx.reduce((s, i) => s + wall[i].ms, 0)
    const runMs = phaseRuns.reduce((s, r) => s + r.dur, 0) / 1000
    console.log(
      `\n${phase}: ${idx.length} run(s), wall ${wallMs.toFixed(0)} ms, inside session.run ${runMs.toFixed(0)} ms, ` +
        `kernels ${kernelMs.toFixed(0)} ms, nodes per run ${(inRuns.length / idx.length).toFixed(0)}`,
    )
    for (const [op, us] of [...byOp].sort((a, b) => b[1] - a[1]).slice(0, 12)) {
      console.log(
        `  ${op.padEnd(22)} ${(us / 1000).toFixed(1).padStart(9)} ms  ${((us / 1000 / kernelMs) * 100).toFixed(1).padStart(5)}%`,
      )
    }
    if (process.env.PROFILE_BY === 'scope')
      printScopes(inRuns, idx.length, kernelMs, phase === 'decode' ? weightBytes : new Map())
  }
  await session.release()
}

main().catch((error: Error) => {
  console.error(error.stack ?? error.message)
  process.exit(1)
})
