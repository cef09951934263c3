import { describe, expect, it } from 'vitest'
import {
  QK,
  decodeF16,
  dequantizeQ4_0,
  dequantizeQ8_0,
  encodeF16,
  f16BitsToF32,
  f32ToF16Bits,
  quantizeQ4_0,
  quantizeQ8_0,
} from './quantize'

/** Deterministic normal samples (Box–Muller over a small LCG), so failures reproduce. */
function normals(n: number, seed = 1): Float32Array {
  let s = seed
  const uniform = () => ((s = (s * 1664525 + 1013904223) >>> 0) + 0.5) / 2 ** 32
  const out = new Float32Array(n)
  for (let i = 0; i < n; i++) {
    out[i] = Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform())
  }
  return out
}

describe('f16', () => {
  it('encodes known values with round-to-nearest-even', () => {
    expect(f32ToF16Bits(1)).toBe(0x3c00)
    expect(f32ToF16Bits(-2)).toBe(0xc000)
    expect(f32ToF16Bits(0.1)).toBe(0x2e66)
    expect(f32ToF16Bits(65504)).toBe(0x7bff)
    expect(f32ToF16Bits(65520)).toBe(0x7c00) // halfway to the next step rounds to inf
    expect(f32ToF16Bits(2 ** -24)).toBe(0x0001) // smallest subnormal
    expect(f32ToF16Bits(2 ** -26)).toBe(0x0000)
    expect(f32ToF16Bits(1 + 2 ** -11)).toBe(0x3c00) // tie → even mantissa
    expect(f32ToF16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02) // tie → even mantissa (up)
    expect(f32ToF16Bits(-0)).toBe(0x8000)
    expect(f32ToF16Bits(NaN) & 0x7e00).toBe(0x7e00)
  })

  it('round-trips every finite half exactly', () => {
    const wrong: number[] = []
    for (let h = 0; h < 0x10000; h++) {
      if ((h & 0x7c00) !== 0x7c00 && f32ToF16Bits(f16BitsToF32(h)) !== h) wrong.push(h)
    }
    expect(wrong).toEqual([])
  })

  it('keeps relative error under 2^-11 on normal values', () => {
    const x = normals(4096)
    const y = decodeF16(encodeF16(x))
    for (let i = 0; i < x.length; i++) {
      if (Math.abs(x[i]) > 2 ** -14)
        expect(Math.abs(y[i] - x[i]) / Math.abs(x[i])).toBeLessThanOrEqual(2 ** -11)
    }
  })
})

describe('q8_0', () => {
  it('lays out a block as f16 d then 32 int8 with roundf (half away from zero)', () => {
    const x = new Float32Array(QK)
    x[0] = 1
    x[1] = -0.5 // -0.5 * 127 = -63.5: roundf gives -64 where Math.round would give -63
    x[2] = 0.25 // 31.75 → 32
    x[31] = -1 // -127
    const bytes = quantizeQ8_0(x)
    expect(bytes.length).toBe(34)
    const view = new DataView(bytes.buffer)
    expect(view.getUint16(0, true)).toBe(f32ToF16Bits(Math.fround(1 / 127)))
    expect(view.getInt8(2)).toBe(127)
    expect(view.getInt8(3)).toBe(-64)
    expect(view.getInt8(4)).toBe(32)
    expect(view.getInt8(5)).toBe(0)
    expect(view.getInt8(33)).toBe(-127)
  })

  it('encodes an all-zero block as d = 0 and zeros', () => {
    expect([...quantizeQ8_0(new Float32Array(QK))]).toEqual(new Array(34).fill(0))
  })

  it('round-trips within half a step per block', () => {
    const x = normals(QK * 256, 7)
    const y = dequantizeQ8_0(quantizeQ8_0(x))
    let sq = 0
    let ref = 0
    for (let b = 0; b < x.length / QK; b++) {
      let amax = 0
      for (let j = 0; j < QK; j++) amax = Math.max(amax, Math.abs(x[b * QK + j]))
      const d = amax / 127
      for (let j = 0; j < QK; j++) {
        const i = b * QK + j
        // half a step, plus what rounding d to f16 costs at the largest code (127 * d * 2^-11)
        expect(Math.abs(y[i] - x[i])).toBeLessThanOrEqual(d / 2 + 127 * d * 2 ** -11 + 1e-7)
        sq += (y[i] - x[i]) ** 2
        ref += x[i] ** 2
      }
    }
    expect(Math.sqrt(sq / ref)).toBeLessThan(0.01)
  })
})

describe('q4_0', () => {
  it('lays out a block as f16 d then 16 bytes, low nibble j and high nibble j + 16', () => {
    const x = new Float32Array(QK)
    x[0] = -2 // largest magnitude, negative: d = -2 / -8 = 0.25, 1/d = 4
    x[1] = 2 // 2 * 4 + 8.5 = 16.5 → trunc 16 → clamped to 15
    x[16] = 1 // 4 + 8.5 = 12.5 → 12
    x[17] = 0 // 8
    const bytes = quantizeQ4_0(x)
    expect(bytes.length).toBe(18)
    expect(bytes[0]).toBe(0x00) // f16(0.25) = 0x3400, little-endian
    expect(bytes[1]).toBe(0x34)
    expect(bytes[2]).toBe(0x00 | (12 << 4)) // x[0] → (-8 + 8.5) = 0.5 → 0
    expect(bytes[3]).toBe(15 | (8 << 4))
    expect(bytes[4]).toBe(8 | (8 << 4)) // zeros sit at code 8
  })

  it('round-trips within one step per block (the clamp at 15 costs a full step)', () => {
    const x = normals(QK * 256, 11)
    const y = dequantizeQ4_0(quantizeQ4_0(x))
    let sq = 0
    let ref = 0
    for (let b = 0; b < x.length / QK; b++) {
      let amax = 0
      for (let j = 0; j < QK; j++) amax = Math.max(amax, Math.abs(x[b * QK + j]))
      const d = amax / 8
      for (let j = 0; j < QK; j++) {
        const i = b * QK + j
        expect(Math.abs(y[i] - x[i])).toBeLessThanOrEqual(d * (1 + 2 ** -10) + 1e-7)
        sq += (y[i] - x[i]) ** 2
        ref += x[i] ** 2
      }
    }
    expect(Math.sqrt(sq / ref)).toBeLessThan(0.15)
  })
})
