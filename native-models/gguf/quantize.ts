// Encoders for the four GGUF tensor types we export, bit-exact with ggml's reference
// quantizers (ggml-quants.c: quantize_row_q8_0_ref, quantize_row_q4_0_ref) and gguf-py's
// numpy port. ggml computes in float32, so every intermediate goes through Math.fround:
// a float64 intermediate would round differently at .5 boundaries.

const scratchF32 = new Float32Array(1)
const scratchU32 = new Uint32Array(scratchF32.buffer)

/** IEEE half from float32, round-to-nearest-even (what F16C and GGML_FP32_TO_FP16 do). */
export function f32ToF16Bits(x: number): number {
  scratchF32[0] = x
  const bits = scratchU32[0]
  const sign = (bits >>> 16) & 0x8000
  const exponent = (bits >>> 23) & 0xff
  let mantissa = bits & 0x7fffff
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0)
  const e = exponent - 127 + 15
  if (e >= 0x1f) return sign | 0x7c00
  if (e <= 0) {
    // Subnormal half: value = m * 2^-24, so m = full mantissa >> (14 - e).
    if (e < -10) return sign
    mantissa |= 0x800000
    const shift = 14 - e
    let half = mantissa >>> shift
    const rest = mantissa & ((1 << shift) - 1)
    const halfway = 1 << (shift - 1)
    if (rest > halfway || (rest === halfway && half & 1)) half++
    return sign | half
  }
  let half = (e << 10) | (mantissa >>> 13)
  const rest = mantissa & 0x1fff
  // A carry out of the mantissa bumps the exponent, which is the right result (up to inf).
  if (rest > 0x1000 || (rest === 0x1000 && half & 1)) half++
  return sign | half
}

export function f16BitsToF32(h: number): number {
  const sign = h & 0x8000 ? -1 : 1
  const exponent = (h >>> 10) & 0x1f
  const mantissa = h & 0x3ff
  if (exponent === 0) return sign * mantissa * 2 ** -24
  if (exponent === 0x1f) return mantissa ? NaN : sign * Infinity
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15)
}

/** C roundf: half away from zero (Math.round alone rounds -2.5 to -2). */
function roundHalfAway(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x)
}

export function encodeF32(x: Float32Array): Uint8Array {
  const out = new Float32Array(x) // copy: the caller's buffer may be a shared view
  return new Uint8Array(out.buffer)
}

export function encodeF16(x: Float32Array): Uint8Array {
  const out = new Uint16Array(x.length)
  for (let i = 0; i < x.length; i++) out[i] = f32ToF16Bits(x[i])
  return new Uint8Array(out.buffer)
}

export const QK = 32

/** block_q8_0 { ggml_half d; int8_t qs[32]; }: d = amax / 127, q = roundf(x / d). */
export function quantizeQ8_0(x: Float32Array): Uint8Array {
  if (x.length % QK) throw new Error(`q8_0 needs a multiple of ${QK} values`)
  const blocks = x.length / QK
  const out = new Uint8Array(blocks * 34)
  const view = new DataView(out.buffer)
  for (let b = 0; b < blocks; b++) {
    const base = b * QK
    let amax = 0
    for (let j = 0; j < QK; j++) amax = Math.max(amax, Math.abs(x[base + j]))
    const d = Math.fround(amax / 127)
    const id = d ? Math.fround(1 / d) : 0
    const offset = b * 34
    view.setUint16(offset, f32ToF16Bits(d), true)
    for (let j = 0; j < QK; j++) {
      view.setInt8(offset + 2 + j, roundHalfAway(Math.fround(x[base + j] * id)))
    }
  }
  return out
}

/**
 * block_q4_0 { ggml_half d; uint8_t qs[16]; }: d = max / -8 where max is the value of
 * largest magnitude (sign kept, first one on ties), q = min(15, trunc(x / d + 8.5)).
 * Byte j holds element j in its low nibble and element j + 16 in its high nibble.
 */
export function quantizeQ4_0(x: Float32Array): Uint8Array {
  if (x.length % QK) throw new Error(`q4_0 needs a multiple of ${QK} values`)
  const blocks = x.length / QK
  const out = new Uint8Array(blocks * 18)
  const view = new DataView(out.buffer)
  for (let b = 0; b < blocks; b++) {
    const base = b * QK
    let amax = 0
    let max = 0
    for (let j = 0; j < QK; j++) {
      const v = x[base + j]
      if (amax < Math.abs(v)) {
        amax = Math.abs(v)
        max = v
      }
    }
    const d = Math.fround(max / -8)
    const id = d ? Math.fround(1 / d) : 0
    const offset = b * 18
    view.setUint16(offset, f32ToF16Bits(d), true)
    for (let j = 0; j < QK / 2; j++) {
      const x0 = Math.fround(x[base + j] * id)
      const x1 = Math.fround(x[base + QK / 2 + j] * id)
      const q0 = Math.min(15, Math.trunc(Math.fround(x0 + 8.5)))
      const q1 = Math.min(15, Math.trunc(Math.fround(x1 + 8.5)))
      out[offset + 2 + j] = q0 | (q1 << 4)
    }
  }
  return out
}

export function dequantizeQ8_0(bytes: Uint8Array): Float32Array {
  const blocks = bytes.length / 34
  const out = new Float32Array(blocks * QK)
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  for (let b = 0; b < blocks; b++) {
    const d = f16BitsToF32(view.getUint16(b * 34, true))
    for (let j = 0; j < QK; j++) out[b * QK + j] = d * view.getInt8(b * 34 + 2 + j)
  }
  return out
}

export function dequantizeQ4_0(bytes: Uint8Array): Float32Array {
  const blocks = bytes.length / 18
  const out = new Float32Array(blocks * QK)
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  for (let b = 0; b < blocks; b++) {
    const d = f16BitsToF32(view.getUint16(b * 18, true))
    for (let j = 0; j < QK / 2; j++) {
      const byte = bytes[b * 18 + 2 + j]
      out[b * QK + j] = ((byte & 0x0f) - 8) * d
      out[b * QK + QK / 2 + j] = ((byte >> 4) - 8) * d
    }
  }
  return out
}

export function decodeF16(bytes: Uint8Array): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const out = new Float32Array(bytes.byteLength / 2)
  for (let i = 0; i < out.length; i++) out[i] = f16BitsToF32(view.getUint16(i * 2, true))
  return out
}
