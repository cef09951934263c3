// One projection x[M, K] · W[K, N] timed side by side through the CPU kernels a quantized
// graph could use: MatMulNBits (today's int8/int4 path), float32 MatMul, and MLAS's integer
// GEMM (com.microsoft DynamicQuantizeMatMul, MatMulIntegerToFloat, MatMulInteger) with
// activations quantized per tensor or per row. Also measures each int8 path's error against
// the exact float32 product on activations with an outlier row and outlier channels.
//
//   npx tsx bench/peers/int8Gemm.ts            (all shapes; INT8GEMM_SHAPES=576x960,.. to pick)
//   INT8GEMM_M=1,128 INT8GEMM_VARIANTS=nbits8,rowU8 INT8GEMM_REPS=7 npx tsx bench/peers/int8Gemm.ts
import { int8RowsMatMul } from '../../native-models/arch/int8Gemm'
import { GraphBuilder, MS_DOMAIN, serializeModel, type Value } from '../../native-models/onnx'
import { createSessionFromBytes, ort, type OrtSession } from '../../native-models/onnx/session'
import { quantizeBlocks } from '../../native-models/quant/blockQuant'
import { quantizeChannels } from '../../native-models/quant/channelQuant'
import { readFileSync } from 'node:fs'

const THREADS = Number(process.env.BENCH_THREADS ?? 2)
const REPS = Number(process.env.INT8GEMM_REPS ?? 5)
const MS = (process.env.INT8GEMM_M ?? '1,128,256,512').split(',').map(Number)
const SHAPES = (
  process.env.INT8GEMM_SHAPES ??
  '576x960,576x3072,1536x576,768x2304,768x3072,3072x768,896x1152,896x9728,4864x896'
)
  .split(',')
  .map((s) => s.split('x').map(Number) as [number, number])

type Build = (b: GraphBuilder, x: Value, w: Float32Array, k: number, n: number) => Value

/** Row scales of x: max |x| / 127 per row (keepdims), never zero. */
function rowScale(b: GraphBuilder, x: Value): Value {
  const absMax = b.reduceMax(b.op('Abs', [x])[0], [-1])
  return b.add(b.mul(absMax, b.scalar(1 / 127)), b.scalar(1e-30))
}

/** x quantized per row: uint8 codes around 128. */
function rowCodesU8(b: GraphBuilder, x: Value, s: Value): Value {
  const r = b.op('Round', [b.div(x, s)])[0]
  return b.cast(b.add(r, b.scalar(128)), 'uint8')
}

function rowCodesS8(b: GraphBuilder, x: Value, s: Value): Value {
  return b.cast(b.op('Round', [b.div(x, s)])[0], 'int8')
}

function nBits(bits: 4 | 8, level: number, blockSize = 32): Build {
  return (b, x, w, k, n) => {
    const m = quantizeBlocks(w, n, k, bits, blockSize)
    const kb = Math.ceil(k / blockSize)
    const packed = b.initializer('q', 'uint8', [n, kb, (blockSize * bits) / 8], m.packed)
    const scales = b.initializer('s', 'float32', [n * kb], m.scales)
    const zp = b.initializer('zp', 'uint8', [m.zeroPoints.length], m.zeroPoints)
    return b.matMulNBits(x, packed, scales, zp, k, n, bits, blockSize, level)
  }
}

const VARIANTS: Record<string, Build> = {
  nbits8: nBits(8, 4),
  f32: (b, x, w, k, n) => {
    const kn = new Float32Array(k * n)
    for (let o = 0; o < n; o++) for (let i = 0; i < k; i++) kn[i * n + o] = w[o * k + i]
    return b.matMul(x, b.initializer('w', 'float32', [k, n], kn))
  },
  // Per-tensor activation scale, computed in the kernel.
  dqmm: (b, x, w, k, n) => {
    const { codes, scales } = quantizeChannels(w, n, k)
    const bw = b.initializer('w', 'int8', [k, n], codes)
    const bs = b.initializer('bs', 'float32', [n], scales)
    return b.op('DynamicQuantizeMatMul', [x, bw, bs], {}, { domain: MS_DOMAIN })[0]
  },
  // What the int8 variant's graph runs (arch/int8Gemm.ts): per-row scales spelled in ONNX
  // ops, MatMulIntegerToFloat over uint8 codes around 128 and per-column weight scales.
  rowU8: (b, x, w, k, n) => int8RowsMatMul(b, x, 'w', quantizeChannels(w, n, k), null),
  // The same codes with uint8 weights (U8U8), what that graph runs where U8S8 saturates
  // (runtime/integerGemm.ts).
  rowU8U8: (b, x, w, k, n) => int8RowsMatMul(b, x, 'w', quantizeChannels(w, n, k), null, 'u8u8'),
  // The same with int8 codes (S8S8).
  rowS8: (b, x, w, k, n) => {
    const { codes, scales } = quantizeChannels(w, n, k)
    const s = rowScale(b, x)
    const q = rowCodesS8(b, x, s)
    const y = b.op(
      'MatMulIntegerToFloat',
      [
        q,
        b.initializer('w', 'int8', [k, n], codes),
        b.scalar(1),
        b.initializer('bs', 'float32', [n], scales),
      ],
      {},
      { domain: MS_DOMAIN, dtype: 'float32' },
    )[0]
    return b.mul(y, s)
  },
  // Plain ONNX: MatMulInteger → Cast → × row scale ⊗ column scale.
  rowMMI: (b, x, w, k, n) => {
    const { codes, scales } = quantizeChannels(w, n, k)
    const s = rowScale(b, x)
    const q = rowCodesU8(b, x, s)
    const zp = b.initializer('azp', 'uint8', [], Uint8Array.of(128))
    const acc = b.op(
      'MatMulInteger',
      [q, b.initializer('w', 'int8', [k, n], codes), zp],
      {},
      {
        dtype: 'int32',
      },
    )[0]
    return b.mul(b.cast(acc, 'float32'), b.mul(s, b.initializer('bs', 'float32', [n], scales)))
  },
  nbits4acc4: nBits(4, 4),
  nbits4acc4b64: nBits(4, 4, 64),
  nbits4acc4b128: nBits(4, 4, 128),
  nbits4acc0: nBits(4, 0),
}

const CHAIN = Number(process.env.INT8GEMM_CHAIN ?? 1)
const NAMES = (process.env.INT8GEMM_VARIANTS ?? Object.keys(VARIANTS).join(',')).split(',')

/** A deterministic pseudo-random weight matrix W [N, K] at a transformer's init scale. */
function weights(k: number, n: number): Float32Array {
  let s = 12345
  const w = new Float32Array(n * k)
  for (let i = 0; i < w.length; i++) {
    s = (s * 1103515245 + 12345) & 0x7fffffff
    w[i] = ((s / 0x7fffffff) * 2 - 1) * 0.05
  }
  return w
}

/** Activations: row 0 ×100 (an attention-sink token), 4 channels ×20 in every row. */
function activations(m: number, k: number): Float32Array {
  const x = new Float32Array(m * k)
  for (let i = 0; i < x.length; i++) x[i] = Math.sin(i * 0.731) + Math.cos(i * 0.117)
  for (let r = 0; r < m; r++) for (const c of [3, 97, 200, k - 5]) x[r * k + c] *= 20
  if (m > 1) for (let c = 0; c < k; c++) x[c] *= 100
  return x
}

async function session(build: Build, w: Float32Array, k: number, n: number) {
  const b = new GraphBuilder()
  const x = b.input('x', 'float32', ['m', k])
  // INT8GEMM_CHAIN=L (square shapes): L products in a row, so the per-node cost of a
  // decode step shows above the session call's own (the error column is then meaningless).
  let y = build(b, x, w, k, n)
  for (let i = 1; i < CHAIN; i++) y = build(b, y, w, k, n)
  b.output(y, 'y')
  return createSessionFromBytes(serializeModel(b), { threads: THREADS })
}

async function timeRun(s: OrtSession, x: ort.Tensor): Promise<number> {
  // Enough calls for ~40 ms, so small products are not timer noise.
  let iters = 1
  for (;;) {
    const t0 = performance.now()
    for (let i = 0; i < iters; i++) await s.run({ x })
    const dt = performance.now() - t0
    if (dt > 40 || iters >= 256) return dt / iters
    iters *= 2
  }
}

const median = (a: number[]) => [...a].sort((p, q) => p - q)[Math.floor(a.length / 2)]

async function main() {
  const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ')[0]
  console.log(`threads ${THREADS}, reps ${REPS}, load average ${load()} at the start`)
  for (const [k, n] of SHAPES) {
    const w = weights(k, n)
    const sessions = new Map<string, OrtSession>()
    for (const name of NAMES) {
      try {
        sessions.set(name, await session(VARIANTS[name], w, k, n))
      } catch (e) {
        console.log(`${k}x${n} ${name}: no session (${(e as Error).message.split('\n')[0]})`)
      }
    }
    for (const m of MS) {
      const xs = activations(m, k)
      const x = new ort.Tensor('float32', xs, [m, k])
      // Exact product in float64, for the error columns.
      const exact = new Float64Array(m * n)
      for (let r = 0; r < m; r++)
        for (let o = 0; o < n; o++) {
          let acc = 0
          for (let i = 0; i < k; i++) acc += xs[r * k + i] * w[o * k + i]
          exact[r * n + o] = acc
        }
      const times = new Map<string, number[]>()
      const errs = new Map<string, string>()
      for (const [name, s] of sessions) {
        try {
          const y = (await s.run({ x })).y.data as Float32Array
          // Relative error of the rows after the outlier row (row 0 when m = 1).
          let num = 0
          let den = 0
          for (let i = m > 1 ? n : 0; i < m * n; i++) {
            num += (y[i] - exact[i]) ** 2
            den += exact[i] ** 2
          }
          errs.set(name, Math.sqrt(num / den).toExponential(1))
          times.set(name, [])
        } catch (e) {
          errs.set(name, `fails: ${(e as Error).message.split('\n')[0].slice(0, 80)}`)
        }
      }
      for (let rep = 0; rep < REPS; rep++) {
        for (const [name, t] of times) t.push(await timeRun(sessions.get(name)!, x))
      }
      const row = [...times].map(([name, t]) => `${name} ${median(t).toFixed(3)}`).join('  ')
      console.log(`${k}x${n} M=${m} ms: ${row}`)
      console.log(`${k}x${n} M=${m} rel err: ${[...errs].map(([a, e]) => `${a} ${e}`).join('  ')}`)
    }
    for (const s of sessions.values()) await s.release()
  }
  console.log(`load average ${load()} at the end`)
}

void main()
