import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { dequantize } from './dequantize'
import { GgmlType, blockLayout } from './ggmlTypes'
import { quantizeQ4_K, quantizeQ6_K } from './kQuantize'
import { f16BitsToF32, f32ToF16Bits, quantizeQ4_0, quantizeQ8_0 } from './quantize'

// The references below are written per element (which bits of which byte make element e),
// not per loop as ggml-quants.c and dequantize.ts are, so a wrong offset, shift or group in
// either shows up as a mismatch. Every scale field holds a random finite half.

const f = Math.fround

function randomBlocks(type: GgmlType, blocks: number, seed: number): Uint8Array {
  const { bytes } = blockLayout[type]
  const out = new Uint8Array(blocks * bytes)
  let s = seed
  const next = () => ((s = (s * 1103515245 + 12345) >>> 0), s >>> 16)
  for (let i = 0; i < out.length; i++) out[i] = next() & 0xff
  const halves: Partial<Record<GgmlType, number[]>> = {
    [GgmlType.Q4_0]: [0],
    [GgmlType.Q4_1]: [0, 2],
    [GgmlType.Q5_0]: [0],
    [GgmlType.Q5_1]: [0, 2],
    [GgmlType.Q8_0]: [0],
    [GgmlType.Q2_K]: [80, 82],
    [GgmlType.Q3_K]: [108],
    [GgmlType.Q4_K]: [0, 2],
    [GgmlType.Q5_K]: [0, 2],
    [GgmlType.Q6_K]: [208],
  }
  const view = new DataView(out.buffer)
  for (let b = 0; b < blocks; b++) {
    for (const at of halves[type] ?? []) {
      const value = ((next() % 2000) - 1000) / 37000
      view.setUint16(b * bytes + at, f32ToF16Bits(value), true)
    }
  }
  return out
}

const h = (b: Uint8Array, at: number) => f16BitsToF32(b[at] | (b[at + 1] << 8))
const i8 = (x: number) => (x << 24) >> 24

type Reference = (b: Uint8Array, block: number, e: number) => number

const references: Partial<Record<GgmlType, Reference>> = {
  [GgmlType.Q4_0]: (b, k, e) => {
    const at = k * 18
    const byte = b[at + 2 + (e % 16)]
    return f(((e < 16 ? byte & 15 : byte >> 4) - 8) * h(b, at))
  },
  [GgmlType.Q4_1]: (b, k, e) => {
    const at = k * 20
    const byte = b[at + 4 + (e % 16)]
    return f(f((e < 16 ? byte & 15 : byte >> 4) * h(b, at)) + h(b, at + 2))
  },
  [GgmlType.Q5_0]: (b, k, e) => {
    const at = k * 22
    const qh = b[at + 2] | (b[at + 3] << 8) | (b[at + 4] << 16) | (b[at + 5] << 24)
    const byte = b[at + 6 + (e % 16)]
    const q = (e < 16 ? byte & 15 : byte >> 4) | (((qh >>> e) & 1) << 4)
    return f((q - 16) * h(b, at))
  },
  [GgmlType.Q5_1]: (b, k, e) => {
    const at = k * 24
    const qh = b[at + 4] | (b[at + 5] << 8) | (b[at + 6] << 16) | (b[at + 7] << 24)
    const byte = b[at + 8 + (e % 16)]
    const q = (e < 16 ? byte & 15 : byte >> 4) | (((qh >>> e) & 1) << 4)
    return f(f(q * h(b, at)) + h(b, at + 2))
  },
  [GgmlType.Q8_0]: (b, k, e) => f(i8(b[k * 34 + 2 + e]) * h(b, k * 34)),
  [GgmlType.Q2_K]: (b, k, e) => {
    const at = k * 84
    const [part, shift, within] = [e >> 7, (e >> 5) & 3, e & 31]
    const sc = b[at + part * 8 + shift * 2 + (within >> 4)]
    const q = (b[at + 16 + part * 32 + within] >> (2 * shift)) & 3
    return f(f(f(h(b, at + 80) * (sc & 15)) * q) - f(h(b, at + 82) * (sc >> 4)))
  },
  [GgmlType.Q3_K]: (b, k, e) => {
    const at = k * 110
    // The scales unpacked as ggml does it: three little-endian words, masks and shifts.
    const word = (i: number) =>
      b[at + 96 + 4 * i] |
      (b[at + 97 + 4 * i] << 8) |
      ((b[at + 98 + 4 * i] << 16) | (b[at + 99 + 4 * i] << 24))
    const [a0, a1, tmp] = [word(0), word(1), word(2)]
    const m1 = 0x03030303
    const m2 = 0x0f0f0f0f
    const aux = [
      (a0 & m2) | ((tmp & m1) << 4),
      (a1 & m2) | (((tmp >>> 2) & m1) << 4),
      ((a0 >>> 4) & m2) | (((tmp >>> 4) & m1) << 4),
      ((a1 >>> 4) & m2) | (((tmp >>> 6) & m1) << 4),
    ]
    const [part, shift, within] = [e >> 7, (e >> 5) & 3, e & 31]
    const s = part * 8 + shift * 2 + (within >> 4)
    const scale = i8((aux[s >> 2] >>> (8 * (s & 3))) & 0xff) - 32
    const low = (b[at + 32 + part * 32 + within] >> (2 * shift)) & 3
    const high = (b[at + within] >> (part * 4 + shift)) & 1
    return f(f(h(b, at + 108) * scale) * (low - (high ? 0 : 4)))
  },
  [GgmlType.Q4_K]: (b, k, e) => {
    const at = k * 144
    const sub = e >> 5
    const [sc, m] = scaleMin(b, at + 4, sub)
    const byte = b[at + 16 + (sub >> 1) * 32 + (e & 31)]
    const q = sub & 1 ? byte >> 4 : byte & 15
    return f(f(f(h(b, at) * sc) * q) - f(h(b, at + 2) * m))
  },
  [GgmlType.Q5_K]: (b, k, e) => {
    const at = k * 176
    const sub = e >> 5
    const [sc, m] = scaleMin(b, at + 4, sub)
    const byte = b[at + 48 + (sub >> 1) * 32 + (e & 31)]
    const high = (b[at + 16 + (e & 31)] >> sub) & 1
    const q = (sub & 1 ? byte >> 4 : byte & 15) + 16 * high
    return f(f(f(h(b, at) * sc) * q) - f(h(b, at + 2) * m))
  },
  [GgmlType.Q6_K]: (b, k, e) => {
    const at = k * 210
    const [part, quarter, l] = [e >> 7, (e >> 5) & 3, e & 31]
    const byte = b[at + part * 64 + (quarter & 1) * 32 + l]
    const low = quarter >= 2 ? byte >> 4 : byte & 15
    const high = (b[at + 128 + part * 32 + l] >> (2 * quarter)) & 3
    const scale = i8(b[at + 192 + part * 8 + (l >> 4) + 2 * quarter])
    return f(f(h(b, at + 208) * scale) * ((low | (high << 4)) - 32))
  },
}

/** get_scale_min_k4 as written in ggml-quants.c. */
function scaleMin(b: Uint8Array, at: number, j: number): [number, number] {
  if (j < 4) return [b[at + j] & 63, b[at + j + 4] & 63]
  return [
    (b[at + j + 4] & 0xf) | ((b[at + j - 4] >> 6) << 4),
    (b[at + j + 4] >> 4) | ((b[at + j] >> 6) << 4),
  ]
}

describe('GGUF dequantization', () => {
  for (const [typeKey, reference] of Object.entries(references)) {
    const type = Number(typeKey) as GgmlType
    it(`${GgmlType[type]} equals ggml-quants.c's formula on random blocks`, () => {
      const blocks = 3
      const { elements } = blockLayout[type]
      const bytes = randomBlocks(type, blocks, 7 + type)
      const got = dequantize(type, bytes, blocks * elements)
      let nonZero = 0
      for (let k = 0; k < blocks; k++) {
        for (let e = 0; e < elements; e++) {
          const want = reference(bytes, k, e)
          if (got[k * elements + e] !== want) {
            throw new Error(
              `${GgmlType[type]} block ${k} element ${e}: ${got[k * elements + e]} ≠ ${want}`,
            )
          }
          if (want !== 0) nonZero++
        }
      }
      expect(nonZero).toBeGreaterThan(blocks * elements * 0.5)
    })
  }

  it('F32, F16 and BF16 decode their bit patterns', () => {
    const f32 = new Float32Array([1.5, -2.25, 3e-8])
    expect(dequantize(GgmlType.F32, new Uint8Array(f32.buffer), 3)).toEqual(f32)
    const f16 = new Uint16Array([0x3c00, 0xc000, 0x0001])
    expect([...dequantize(GgmlType.F16, new Uint8Array(f16.buffer), 3)]).toEqual([1, -2, 2 ** -24])
    const bf16 = new Uint16Array([0x3fc0, 0xc010])
    expect([...dequantize(GgmlType.BF16, new Uint8Array(bf16.buffer), 2)]).toEqual([1.5, -2.25])
  })

  it('Q8_0 and Q4_0 round-trip our own encoders within half a quantization step', () => {
    const x = new Float32Array(128).map((_, i) => Math.sin(i * 0.7) * (1 + (i % 5)))
    const q8 = dequantize(GgmlType.Q8_0, quantizeQ8_0(x), x.length)
    const q4 = dequantize(GgmlType.Q4_0, quantizeQ4_0(x), x.length)
    for (let b = 0; b < 4; b++) {
      const block = x.subarray(b * 32, b * 32 + 32)
      const amax = Math.max(...block.map(Math.abs))
      for (let j = 0; j < 32; j++) {
        const i = b * 32 + j
        expect(Math.abs(q8[i] - x[i])).toBeLessThanOrEqual((amax / 127) * 0.5 + 1e-3 * amax)
        // q4_0: d = max/−8, and the top code is clamped to 15 (7·|d|), so the error is ≤ |d|.
        expect(Math.abs(q4[i] - x[i])).toBeLessThanOrEqual((amax / 8) * 1.01)
      }
    }
  })

  it('Q4_K and Q6_K round-trip our test writers (kQuantize.ts) within their bit depth', () => {
    const x = new Float32Array(1024).map((_, i) => Math.sin(i * 1.3) * Math.cos(i * 0.11) - 0.1)
    const rms = (a: Float32Array) => Math.sqrt(a.reduce((s, v) => s + v * v, 0) / a.length)
    const error = (y: Float32Array) => rms(y.map((v, i) => v - x[i])) / rms(x)
    // Rounding error is step/√12 (rms). These values span about 2 in every sub-block and
    // have rms 0.51: Q4_K's 15 steps give 2/15/√12 ≈ 0.038, i.e. 0.075 of the rms; Q6_K's
    // 31 steps each side of 0 (amax 1.1) give 1.1/31/√12 ≈ 0.010, about 0.02.
    const q4 = error(dequantize(GgmlType.Q4_K, quantizeQ4_K(x), x.length))
    const q6 = error(dequantize(GgmlType.Q6_K, quantizeQ6_K(x), x.length))
    expect(q4).toBeLessThan(0.08)
    expect(q6).toBeLessThan(0.022)
    expect(q6).toBeLessThan(q4 / 2)
  })

  it('refuses a byte count that does not match the element count, and unknown types', () => {
    expect(() => dequantize(GgmlType.Q4_K, new Uint8Array(143), 256)).toThrow(/144 bytes, got 143/)
    expect(() => dequantize(20 as GgmlType, new Uint8Array(4), 1)).toThrow(
      /tensor type 20 is not supported \(supported: F32, F16, Q4_0/,
    )
  })
})

// ggml's own dequantize_row_* on random blocks of every quantized type, recorded by
// testdata/ggmlDequantGolden.c against the ggml-quants.c that node-llama-cpp bundles: the
// values must match bit for bit.
describe("GGUF dequantization equals ggml-quants.c's own output", () => {
  const file = readFileSync(join(__dirname, 'testdata/ggml-dequant.bin'))
  const records: { type: GgmlType; bytes: Uint8Array; want: Float32Array }[] = []
  for (let at = 0; at < file.length;) {
    const [type, blocks, count] = [0, 4, 8].map((o) => file.readUInt32LE(at + o))
    const bytes = new Uint8Array(file.subarray(at + 12, at + 12 + count))
    const elements = blocks * blockLayout[type as GgmlType].elements
    const floats = file.subarray(at + 12 + count, at + 12 + count + 4 * elements)
    const want = new Float32Array(new Uint8Array(floats).buffer)
    records.push({ type, bytes, want })
    at += 12 + count + 4 * elements
  }

  it('covers every quantized type the reader handles', () => {
    const quantized = Object.keys(blockLayout)
      .map(Number)
      .filter((t) => blockLayout[t as GgmlType].elements > 1)
    expect(records.map((r) => r.type).sort((a, b) => a - b)).toEqual(quantized)
  })

  it.each(records.map((r) => [GgmlType[r.type], r] as const))('%s', (_, { type, bytes, want }) => {
    const got = dequantize(type, bytes, want.length)
    for (let i = 0; i < want.length; i++) {
      if (!Object.is(got[i], want[i]))
        throw new Error(`element ${i}: ${got[i]} ≠ ggml's ${want[i]}`)
    }
    expect(want.filter((v) => v !== 0).length).toBeGreaterThan(want.length / 2)
  })
})
