// MatMulNBits variants timed side by side on one model's matrix shapes: each variant's graphs
// are built up front, then the variants run interleaved, round after round, so a noisy
// machine slows them all alike; the median per variant is reported. Decode (M = 1) stacks
// `layers` copies of each layer matrix so the weights stream from memory as in a real step;
// prefill (M > 1) times one copy per layer shape.
//   npx tsx bench/peers/nbitsShapes.ts [decode|prefill] [variants] [M,...]
//   variants: bits/block/level[/sym], comma-separated, e.g. 4/32/4,4/64/4,8/32/4/sym, and the
//   references f32 (MatMul) and dq8 (DynamicQuantizeMatMul: MLAS's int8 GEMM, AMX here)
// Env: BENCH_THREADS (2), NBITS_ROUNDS (7), NBITS_SHAPE=qwen2.5-0.5b|smollm2-135m|gpt2-small.

import { loadavg } from 'node:os'
import { GraphBuilder, MS_DOMAIN, serializeModel, type Value } from '../../native-models/onnx'
import { createSessionFromBytes, ort, type OrtSession } from '../../native-models/onnx/session'

interface Shape {
  name: string
  k: number
  n: number
}

/** Per-layer matrices (packed as loadModel packs them) and the head, [K → N]. */
const models: Record<string, { layers: number; shapes: Shape[]; head: Shape }> = {
  'qwen2.5-0.5b': {
    layers: 24,
    shapes: [
      { name: 'qkv', k: 896, n: 1152 },
      { name: 'o', k: 896, n: 896 },
      { name: 'gate_up', k: 896, n: 9728 },
      { name: 'down', k: 4864, n: 896 },
    ],
    head: { name: 'head', k: 896, n: 151936 },
  },
  'smollm2-135m': {
    layers: 30,
    shapes: [
      { name: 'qkv', k: 576, n: 960 },
      { name: 'o', k: 576, n: 576 },
      { name: 'gate_up', k: 576, n: 3072 },
      { name: 'down', k: 1536, n: 576 },
    ],
    head: { name: 'head', k: 576, n: 49152 },
  },
  'gpt2-small': {
    layers: 12,
    shapes: [
      { name: 'qkv', k: 768, n: 2304 },
      { name: 'o', k: 768, n: 768 },
      { name: 'up', k: 768, n: 3072 },
      { name: 'down', k: 3072, n: 768 },
    ],
    head: { name: 'head', k: 768, n: 50257 },
  },
}

interface Variant {
  label: string
  /** MatMulNBits, or a reference: float32 MatMul, MLAS's int8 GEMM (DynamicQuantizeMatMul). */
  kind: 'nbits' | 'f32' | 'dq8'
  bits: 4 | 8
  block: number
  level: number
  symmetric: boolean
}

function parseVariant(text: string): Variant {
  const reference = { label: text, bits: 8, block: 0, level: 0, symmetric: true } as const
  if (text === 'f32') return { ...reference, kind: 'f32' }
  if (text === 'dq8') return { ...reference, kind: 'dq8' }
  const [bits, block, level, sym] = text.split('/')
  if ((bits !== '4' && bits !== '8') || !block || !level) throw new Error(`bad variant ${text}`)
  return {
    label: text,
    kind: 'nbits',
    bits: Number(bits) as 4 | 8,
    block: Number(block),
    level: Number(level),
    symmetric: sym === 'sym',
  }
}

/** Random codes: the kernels' speed does not depend on the values. */
function randomBytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n)
  let s = seed >>> 0
  for (let i = 0; i < n; i++) out[i] = (s = (s * 1664525 + 1013904223) >>> 0) >>> 24
  return out
}

/** Bytes one product reads from its weights: codes, f32 scales and zero points. */
function weightBytes(s: Shape, v: Variant): number {
  if (v.kind === 'f32') return s.n * s.k * 4
  if (v.kind === 'dq8') return s.n * (s.k + 4)
  const kBlocks = Math.ceil(s.k / v.block)
  const zp = v.symmetric ? 0 : v.bits === 4 ? Math.ceil(kBlocks / 2) : kBlocks
  return s.n * (kBlocks * ((v.block * v.bits) / 8 + 4) + zp)
}

function graph(s: Shape, v: Variant, m: number, copies: number): Uint8Array {
  const b = new GraphBuilder('nbits')
  const x = b.input('x', 'float32', [m, s.k])
  const kBlocks = Math.ceil(s.k / v.block)
  for (let c = 0; c < copies; c++) {
    if (v.kind !== 'nbits') {
      b.output(reference(b, x, s, v, c), `y${c}`)
      continue
    }
    const packed = b.initializer(
      `w${c}.q`,
      'uint8',
      [s.n, kBlocks, (v.block * v.bits) / 8],
      randomBytes((s.n * kBlocks * v.block * v.bits) / 8, c + 1),
    )
    const scales = b.initializer(
      `w${c}.scales`,
      'float32',
      [s.n * kBlocks],
      new Float32Array(s.n * kBlocks).fill(0.01),
    )
    const zpLength = s.n * (v.bits === 4 ? Math.ceil(kBlocks / 2) : kBlocks)
    const zp = v.symmetric
      ? null
      : b.initializer(`w${c}.zp`, 'uint8', [zpLength], randomBytes(zpLength, c + 7))
    b.output(b.matMulNBits(x, packed, scales, zp, s.k, s.n, v.bits, v.block, v.level), `y${c}`)
  }
  return serializeModel(b)
}

function reference(b: GraphBuilder, x: Value, s: Shape, v: Variant, c: number): Value {
  if (v.kind === 'f32') {
    const w = Float32Array.from(randomBytes(s.k * s.n, c + 1), (q) => (q - 128) / 1024)
    return b.matMul(x, b.initializer(`w${c}`, 'float32', [s.k, s.n], w))
  }
  // Per-column scales, as an int8 GEMM for real weights would need.
  const w = b.initializer(
    `w${c}`,
    'int8',
    [s.k, s.n],
    new Int8Array(randomBytes(s.k * s.n, c + 1).buffer),
  )
  const scale = b.initializer(`w${c}.scale`, 'float32', [s.n], new Float32Array(s.n).fill(0.01))
  return b.op(
    'DynamicQuantizeMatMul',
    [x, w, scale],
    {},
    { domain: MS_DOMAIN, dtype: 'float32' },
  )[0]
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
/** Median, or the fastest round with NBITS_STAT=min (a busy machine only ever adds time). */
const stat = (xs: number[]) => (process.env.NBITS_STAT === 'min' ? Math.min(...xs) : median(xs))

async function main() {
  const mode = process.argv[2] ?? 'decode'
  const variants = (process.argv[3] ?? '4/32/4,4/64/4,4/128/4').split(',').map(parseVariant)
  const ms = mode === 'decode' ? [1] : (process.argv[4] ?? '128,512').split(',').map(Number)
  const threads = Number(process.env.BENCH_THREADS ?? 2)
  const rounds = Number(process.env.NBITS_ROUNDS ?? 7)
  const model = models[process.env.NBITS_SHAPE ?? 'qwen2.5-0.5b']
  // A prefill computes the head for its last token only (num_logits = 1): M = 1 there.
  const withHead = (m: number) => (m === 1 ? [...model.shapes, model.head] : model.shapes)
  console.log(
    `load average at start: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  )
  for (const m of ms) {
    const cells: {
      v: Variant
      s: Shape
      copies: number
      session: OrtSession
      feed: Record<string, ort.Tensor>
      times: number[]
    }[] = []
    for (const v of variants) {
      for (const s of withHead(m)) {
        const copies = m === 1 && s !== model.head ? model.layers : 1
        // Many sessions take turns: idle pools must not spin-wait beside the one running.
        const session = await createSessionFromBytes(graph(s, v, m, copies), {
          threads,
          spinning: false,
        })
        const x = Float32Array.from({ length: m * s.k }, (_, i) => Math.sin(i))
        const feed = { x: new ort.Tensor('float32', x, [m, s.k]) }
        await session.run(feed)
        cells.push({ v, s, copies, session, feed, times: [] })
      }
    }
    for (let r = 0; r < rounds; r++) {
      for (const c of cells) {
        const t = performance.now()
        await c.session.run(c.feed)
        c.times.push(performance.now() - t)
      }
    }
    console.log(
      `\nM = ${m}, ${threads} thread(s), ${process.env.NBITS_STAT === 'min' ? 'fastest' : 'median'} of ${rounds} interleaved rounds`,
    )
    for (const v of variants) {
      const row = cells.filter((c) => c.v === v)
      const parts = row.map((c) => {
        const t = stat(c.times)
        const gbs = (weightBytes(c.s, v) * c.copies) / (t / 1000) / 1e9
        const flops = (2 * m * c.s.k * c.s.n * c.copies) / (t / 1000) / 1e9
        return `${c.s.name}${c.copies > 1 ? `×${c.copies}` : ''} ${t.toFixed(2)} ms (${m === 1 ? `${gbs.toFixed(1)} GB/s` : `${flops.toFixed(0)} GFLOP/s`})`
      })
      const total = row.reduce((s, c) => s + stat(c.times), 0)
      // Paired per round against the first variant: load that comes and goes between
      // rounds cancels out of the ratio.
      const base = cells.filter((c) => c.v === variants[0])
      const ratios = Array.from({ length: rounds }, (_, r) => {
        const sum = (cs: typeof cells) => cs.reduce((s, c) => s + c.times[r], 0)
        return sum(row) / sum(base)
      })
      console.log(
        `  ${v.label.padEnd(12)} total ${total.toFixed(2)} ms, ÷ ${variants[0].label} ${median(ratios).toFixed(3)} | ${parts.join(' | ')}`,
      )
    }
    for (const c of cells) await c.session.release()
  }
  console.log(
    `load average at end: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  )
}

main().catch((error: Error) => {
  console.error(error.stack ?? error.message)
  process.exit(1)
})
