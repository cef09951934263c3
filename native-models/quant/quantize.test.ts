import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadModel, writeFixtureModel } from '../io'
import { MemoryWeights, buildInferenceGraph, parseConfig } from '../arch'
import { int8RowsMatMul } from '../arch/int8Gemm'
import { PROBE_K, integerGemm, largestCodesProduct } from '../runtime/integerGemm'
import { randomModel } from '../fixture/randomModel'
import { GraphBuilder, MS_DOMAIN, serializeModel } from '../onnx'
import { createSessionFromBytes, ort } from '../onnx/session'
import { blockRows, concatBlocks, dequantizeBlocks, quantizeBlocks } from './blockQuant'
import { dequantizeChannels, quantizeChannels } from './channelQuant'

describe('block quantization', () => {
  it('round-trips within half a quantization step per block', () => {
    const n = 3
    const k = 80 // not a multiple of 32: the last block is padded
    const w = Float32Array.from({ length: n * k }, (_, i) => Math.sin(i * 0.37) * (1 + (i % 7)))
    for (const bits of [4, 8] as const) {
      const q = quantizeBlocks(w, n, k, bits)
      const back = dequantizeBlocks(q)
      for (let r = 0; r < n; r++) {
        for (let i = 0; i < k; i++) {
          const scale = q.scales[r * 3 + Math.floor(i / 32)]
          expect(Math.abs(back[r * k + i] - w[r * k + i])).toBeLessThanOrEqual(scale / 2 + 1e-6)
        }
      }
    }
  })
})

describe('MatMulNBits reads our packing', () => {
  it.each([4, 8] as const)('%i bits: ort output equals x · dequantized(W)ᵀ', async (bits) => {
    const n = 5
    const k = 96
    const w = Float32Array.from({ length: n * k }, (_, i) => Math.cos(i * 1.3) * 0.5)
    const q = quantizeBlocks(w, n, k, bits)
    const kb = k / 32
    const b = new GraphBuilder()
    const x = b.input('x', 'float32', [2, k])
    const packed = b.initializer('q', 'uint8', [n, kb, (32 * bits) / 8], q.packed)
    const scales = b.initializer('s', 'float32', [n * kb], q.scales)
    const zp = b.initializer('zp', 'uint8', [q.zeroPoints.length], q.zeroPoints)
    b.output(b.matMulNBits(x, packed, scales, zp, k, n, bits, 32), 'y')
    const session = await createSessionFromBytes(serializeModel(b))
    const xs = Float32Array.from({ length: 2 * k }, (_, i) => Math.sin(i))
    const y = (await session.run({ x: new ort.Tensor('float32', xs, [2, k]) })).y
      .data as Float32Array
    const dq = dequantizeBlocks(q)
    for (let r = 0; r < 2; r++) {
      for (let o = 0; o < n; o++) {
        let s = 0
        for (let i = 0; i < k; i++) s += xs[r * k + i] * dq[o * k + i]
        expect(Math.abs(y[r * n + o] - s)).toBeLessThan(1e-4)
      }
    }
    await session.release()
  })
})

describe('int8 weights per channel, activations per row', () => {
  const n = 48
  const k = 64
  const m = 6
  const w = Float32Array.from({ length: n * k }, (_, i) => Math.cos(i * 0.71) * 0.05)
  // Row 0 is an attention-sink-like token: its activations are 100× the others'.
  const xs = Float32Array.from({ length: m * k }, (_, i) => Math.sin(i * 0.37) * (i < k ? 100 : 1))
  const bias = Float32Array.from({ length: n }, (_, i) => i * 0.01)

  /** Relative error of rows 1.. (the ordinary tokens) against x · Wᵀ + bias in float64. */
  async function otherRowsError(
    build: (
      b: GraphBuilder,
      x: ReturnType<GraphBuilder['input']>,
    ) => ReturnType<GraphBuilder['input']>,
  ) {
    const b = new GraphBuilder()
    const x = b.input('x', 'float32', [1, m, k])
    b.output(build(b, x), 'y')
    const session = await createSessionFromBytes(serializeModel(b))
    const y = (await session.run({ x: new ort.Tensor('float32', xs, [1, m, k]) })).y
      .data as Float32Array
    await session.release()
    let num = 0
    let den = 0
    for (let r = 1; r < m; r++) {
      for (let o = 0; o < n; o++) {
        let s = bias[o]
        for (let i = 0; i < k; i++) s += xs[r * k + i] * w[o * k + i]
        num += (y[r * n + o] - s) ** 2
        den += s * s
      }
    }
    return Math.sqrt(num / den)
  }

  it('round-trips each weight within half a step of its channel', () => {
    const q = quantizeChannels(w, n, k)
    const back = dequantizeChannels(q)
    for (let o = 0; o < n; o++) {
      for (let i = 0; i < k; i++) {
        expect(Math.abs(back[o * k + i] - w[o * k + i])).toBeLessThanOrEqual(q.scales[o] / 2 + 1e-7)
      }
    }
  })

  it('an outlier token leaves the other rows close (per-tensor scales would not)', async () => {
    const q = quantizeChannels(w, n, k)
    const gemm = await integerGemm()
    const perRow = await otherRowsError((b, x) =>
      int8RowsMatMul(b, x, 'w', q, b.initializer('bias', 'float32', [n], bias), gemm),
    )
    // The same weights with one activation scale for the whole tensor (com.microsoft
    // DynamicQuantizeMatMul): the ordinary rows keep a code or two each.
    const perTensor = await otherRowsError((b, x) => {
      const y = b.op(
        'DynamicQuantizeMatMul',
        [
          x,
          b.initializer('w', 'int8', [k, n], q.codes),
          b.initializer('s', 'float32', [n], q.scales),
        ],
        {},
        { domain: MS_DOMAIN },
      )[0]
      return b.add(y, b.initializer('bias', 'float32', [n], bias))
    })
    console.log(
      `other rows' relative error: per row (${gemm}) ${perRow.toExponential(2)}, per tensor ${perTensor.toExponential(2)}`,
    )
    expect(perRow).toBeLessThan(0.02)
    expect(perTensor).toBeGreaterThan(0.1)
  })

  it('both integer GEMMs give the exact product of the largest codes where chosen', async () => {
    expect(await largestCodesProduct('u8u8')).toBeCloseTo(PROBE_K, 3)
    expect(await largestCodesProduct(await integerGemm())).toBeCloseTo(PROBE_K, 3)
  })
})

describe('which kernel an int8 graph runs', () => {
  const { config, tensors } = randomModel(
    { arch: 'llama', biases: true },
    {
      vocabSize: 300,
      eosTokenIds: [0],
    },
  )
  const cfg = parseConfig(config)
  const weights = new MemoryWeights(new Map(tensors.map((t) => [t.name, t])))
  const ops = (o: { accuracyLevel: number; gpu?: boolean }) =>
    new Set(
      buildInferenceGraph(cfg, weights, { quantization: 'int8', fused: true, ...o }).b.nodes.map(
        (n) => n.opType,
      ),
    )

  it('level 4 on the CPU: the integer GEMM; level 0 and GPU providers: MatMulNBits', () => {
    const cpu = ops({ accuracyLevel: 4 })
    expect(cpu.has('MatMulIntegerToFloat')).toBe(true)
    expect(cpu.has('MatMulNBits')).toBe(false)
    for (const o of [{ accuracyLevel: 0 }, { accuracyLevel: 4, gpu: true }]) {
      const other = ops(o)
      expect(other.has('MatMulNBits')).toBe(true)
      expect(other.has('MatMulIntegerToFloat')).toBe(false)
    }
  })
})

describe('int8 / int4 weight-only quantization at load', () => {
  let root: string
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'glassbox-quant-'))
    await writeFixtureModel(join(root, 'llama'), { arch: 'llama', seed: 9 })
  })
  afterAll(() => rmSync(root, { recursive: true, force: true }))

  it.each([
    ['int8', 0.3, 0.01],
    ['int4', 3, 0.1],
  ] as const)(
    '%s logits stay close to f32 (max diff and perplexity change bounded)',
    async (q, maxDiffBound, pplBound) => {
      const dir = join(root, 'llama')
      const cacheDir = join(root, 'cache')
      const f32 = await loadModel(dir, { cacheDir, executionProvider: 'cpu' })
      const quant = await loadModel(dir, { cacheDir, executionProvider: 'cpu', quantization: q })
      const report = quant.info.quantizationReport!
      console.log(
        `${q}: max |Δlogit| ${report.maxLogitDiff.toFixed(4)}, perplexity ${report.perplexityF32.toFixed(3)} → ${report.perplexityQuantized.toFixed(3)} over ${report.probeTokens} tokens`,
      )
      expect(report.maxLogitDiff).toBeGreaterThan(0) // it really is quantized
      expect(report.maxLogitDiff).toBeLessThan(maxDiffBound)
      expect(Math.abs(report.perplexityQuantized / report.perplexityF32 - 1)).toBeLessThan(pplBound)
      const ids = f32.tokenizer.encode('the end of the world')
      const a = await f32.logits(ids)
      const s = quant.newSession()
      await s.prefill(ids.slice(0, ids.length - 1))
      const b = await s.decode(ids[ids.length - 1])
      let m = 0
      for (let i = 0; i < b.length; i++) m = Math.max(m, Math.abs(a[ids.length - 1][i] - b[i]))
      expect(m).toBeLessThan(maxDiffBound)
      await f32.dispose()
      await quant.dispose()
    },
  )
})

describe('block rows', () => {
  it.each([4, 8] as const)('%i-bit rows cut into parts join back into the matrix', (bits) => {
    const [n, k] = [10, 96]
    const w = Float32Array.from({ length: n * k }, (_, i) => Math.sin(i * 0.37))
    const m = quantizeBlocks(w, n, k, bits, 32)
    const parts = [blockRows(m, 0, 4), blockRows(m, 4, 4), blockRows(m, 8, 2)]
    expect(parts.map((p) => p.n)).toEqual([4, 4, 2])
    const joined = concatBlocks(parts)
    expect(joined.packed).toEqual(m.packed)
    expect(joined.scales).toEqual(m.scales)
    expect(joined.zeroPoints).toEqual(m.zeroPoints)
    const rows = dequantizeBlocks(parts[1])
    expect(rows).toEqual(dequantizeBlocks(m).subarray(4 * k, 8 * k))
  })
})
