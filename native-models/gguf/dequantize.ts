// GGUF tensor data → float32, one function per ggml type, each a port of ggml-quants.c's
// reference dequantize_row_* (ggml-org/llama.cpp ggml/src/ggml-quants.c) over the block
// structs of ggml-common.h (layouts in ggmlTypes.ts). ggml computes in float32, so every
// product and sum goes through Math.fround in the order the C code evaluates it.

import { GgmlType, QK_K, SUPPORTED_GGML_TYPES, blockLayout } from './ggmlTypes'
import { f16BitsToF32 } from './quantize'

const f = Math.fround

type Decoder = (src: DataView, bytes: Uint8Array, blocks: number, out: Float32Array) => void

const half = (v: DataView, at: number) => f16BitsToF32(v.getUint16(at, true))

const decodeF32: Decoder = (v, _b, n, out) => {
  for (let i = 0; i < n; i++) out[i] = v.getFloat32(i * 4, true)
}

const decodeF16: Decoder = (v, _b, n, out) => {
  for (let i = 0; i < n; i++) out[i] = half(v, i * 2)
}

const decodeBf16: Decoder = (v, _b, n, out) => {
  const u = new Uint32Array(out.buffer, out.byteOffset, n)
  for (let i = 0; i < n; i++) u[i] = v.getUint16(i * 2, true) << 16
}

/** block_q4_0: y = (q − 8)·d; byte j holds element j (low nibble) and j + 16 (high). */
const decodeQ4_0: Decoder = (v, b, n, out) => {
  for (let i = 0; i < n; i++) {
    const at = i * 18
    const d = half(v, at)
    for (let j = 0; j < 16; j++) {
      const q = b[at + 2 + j]
      out[i * 32 + j] = f(((q & 0x0f) - 8) * d)
      out[i * 32 + j + 16] = f(((q >> 4) - 8) * d)
    }
  }
}

/** block_q4_1: y = q·d + m. */
const decodeQ4_1: Decoder = (v, b, n, out) => {
  for (let i = 0; i < n; i++) {
    const at = i * 20
    const d = half(v, at)
    const m = half(v, at + 2)
    for (let j = 0; j < 16; j++) {
      const q = b[at + 4 + j]
      out[i * 32 + j] = f(f((q & 0x0f) * d) + m)
      out[i * 32 + j + 16] = f(f((q >> 4) * d) + m)
    }
  }
}

/** block_q5_0: the fifth bit of element j is bit j of qh; y = (q − 16)·d. */
const decodeQ5_0: Decoder = (v, b, n, out) => {
  for (let i = 0; i < n; i++) {
    const at = i * 22
    const d = half(v, at)
    const qh = v.getUint32(at + 2, true)
    for (let j = 0; j < 16; j++) {
      const q = b[at + 6 + j]
      const h0 = ((qh >>> j) << 4) & 0x10
      const h1 = (qh >>> (j + 12)) & 0x10
      out[i * 32 + j] = f((((q & 0x0f) | h0) - 16) * d)
      out[i * 32 + j + 16] = f((((q >> 4) | h1) - 16) * d)
    }
  }
}

/** block_q5_1: y = q·d + m with 5-bit q. */
const decodeQ5_1: Decoder = (v, b, n, out) => {
  for (let i = 0; i < n; i++) {
    const at = i * 24
    const d = half(v, at)
    const m = half(v, at + 2)
    const qh = v.getUint32(at + 4, true)
    for (let j = 0; j < 16; j++) {
      const q = b[at + 8 + j]
      const h0 = ((qh >>> j) << 4) & 0x10
      const h1 = (qh >>> (j + 12)) & 0x10
      out[i * 32 + j] = f(f(((q & 0x0f) | h0) * d) + m)
      out[i * 32 + j + 16] = f(f(((q >> 4) | h1) * d) + m)
    }
  }
}

/** block_q8_0: y = q·d. */
const decodeQ8_0: Decoder = (v, _b, n, out) => {
  for (let i = 0; i < n; i++) {
    const at = i * 34
    const d = half(v, at)
    for (let j = 0; j < 32; j++) out[i * 32 + j] = f(v.getInt8(at + 2 + j) * d)
  }
}

/**
 * block_q2_K: 16 groups of 16, each with a 4-bit scale (low nibble) and min (high) of the
 * super-block's d and dmin; y = d·sc·q − dmin·m, q two bits at shift 0, 2, 4, 6 of qs.
 */
const decodeQ2_K: Decoder = (v, b, n, out) => {
  let y = 0
  for (let i = 0; i < n; i++) {
    const at = i * 84
    const d = half(v, at + 80)
    const min = half(v, at + 82)
    let is = 0
    for (let part = 0; part < 2; part++) {
      const q = at + 16 + part * 32
      for (let shift = 0; shift < 8; shift += 2) {
        for (let g = 0; g < 2; g++) {
          const sc = b[at + is++]
          const dl = f(d * (sc & 0xf))
          const ml = f(min * (sc >> 4))
          for (let l = 0; l < 16; l++) out[y++] = f(f(dl * ((b[q + g * 16 + l] >> shift) & 3)) - ml)
        }
      }
    }
  }
}

/** q3_K's twelve scale bytes → sixteen 6-bit scales (low 4 bits, then 2 high bits). */
function q3Scales(b: Uint8Array, at: number): Int8Array {
  const s = new Int8Array(16)
  for (let j = 0; j < 16; j++) {
    const low = j < 8 ? b[at + j] & 0xf : b[at + j - 8] >> 4
    const high = (b[at + 8 + (j % 4)] >> (2 * Math.floor(j / 4))) & 3
    s[j] = (low | (high << 4)) - 32
  }
  return s
}

/** block_q3_K: y = d·(sc − 32)·(q − 4·!hmask), q two bits, the third bit inverted in hmask. */
const decodeQ3_K: Decoder = (v, b, n, out) => {
  let y = 0
  for (let i = 0; i < n; i++) {
    const at = i * 110
    const d = half(v, at + 108)
    const scales = q3Scales(b, at + 96)
    let is = 0
    let m = 1
    for (let part = 0; part < 2; part++) {
      const q = at + 32 + part * 32
      for (let shift = 0; shift < 8; shift += 2) {
        for (let g = 0; g < 2; g++) {
          const dl = f(d * scales[is++])
          for (let l = 0; l < 16; l++) {
            const k = g * 16 + l
            const code = ((b[q + k] >> shift) & 3) - (b[at + k] & m ? 0 : 4)
            out[y++] = f(dl * code)
          }
        }
        m <<= 1
      }
    }
  }
}

/** get_scale_min_k4: the 6-bit scale and min of sub-block j from q4_K/q5_K's 12 bytes. */
function scaleMinK4(b: Uint8Array, at: number, j: number): [number, number] {
  if (j < 4) return [b[at + j] & 63, b[at + j + 4] & 63]
  return [
    (b[at + j + 4] & 0xf) | ((b[at + j - 4] >> 6) << 4),
    (b[at + j + 4] >> 4) | ((b[at + j] >> 6) << 4),
  ]
}

/** block_q4_K: 8 sub-blocks of 32, y = d·sc·q − dmin·m. */
const decodeQ4_K: Decoder = (v, b, n, out) => {
  let y = 0
  for (let i = 0; i < n; i++) {
    const at = i * 144
    const d = half(v, at)
    const min = half(v, at + 2)
    for (let j = 0; j < 4; j++) {
      const [sc1, m1] = scaleMinK4(b, at + 4, 2 * j)
      const [sc2, m2] = scaleMinK4(b, at + 4, 2 * j + 1)
      const d1 = f(d * sc1)
      const mm1 = f(min * m1)
      const d2 = f(d * sc2)
      const mm2 = f(min * m2)
      const q = at + 16 + j * 32
      for (let l = 0; l < 32; l++) out[y++] = f(f(d1 * (b[q + l] & 0xf)) - mm1)
      for (let l = 0; l < 32; l++) out[y++] = f(f(d2 * (b[q + l] >> 4)) - mm2)
    }
  }
}

/** block_q5_K: q4_K plus a fifth bit per element in qh (bits 2j and 2j + 1 for pair j). */
const decodeQ5_K: Decoder = (v, b, n, out) => {
  let y = 0
  for (let i = 0; i < n; i++) {
    const at = i * 176
    const d = half(v, at)
    const min = half(v, at + 2)
    const qh = at + 16
    for (let j = 0; j < 4; j++) {
      const [sc1, m1] = scaleMinK4(b, at + 4, 2 * j)
      const [sc2, m2] = scaleMinK4(b, at + 4, 2 * j + 1)
      const d1 = f(d * sc1)
      const mm1 = f(min * m1)
      const d2 = f(d * sc2)
      const mm2 = f(min * m2)
      const u1 = 1 << (2 * j)
      const u2 = 2 << (2 * j)
      const ql = at + 48 + j * 32
      for (let l = 0; l < 32; l++) {
        out[y++] = f(f(d1 * ((b[ql + l] & 0xf) + (b[qh + l] & u1 ? 16 : 0))) - mm1)
      }
      for (let l = 0; l < 32; l++) {
        out[y++] = f(f(d2 * ((b[ql + l] >> 4) + (b[qh + l] & u2 ? 16 : 0))) - mm2)
      }
    }
  }
}

/** block_q6_K: 16 groups of 16 with int8 scales; y = d·sc·(q − 32), q = 4 low + 2 high bits. */
const decodeQ6_K: Decoder = (v, b, n, out) => {
  for (let i = 0; i < n; i++) {
    const at = i * 210
    const d = half(v, at + 208)
    for (let part = 0; part < 2; part++) {
      const ql = at + part * 64
      const qh = at + 128 + part * 32
      const sc = at + 192 + part * 8
      const y = i * QK_K + part * 128
      for (let l = 0; l < 32; l++) {
        const is = l >> 4
        const h = b[qh + l]
        const q1 = ((b[ql + l] & 0xf) | ((h & 3) << 4)) - 32
        const q2 = ((b[ql + l + 32] & 0xf) | (((h >> 2) & 3) << 4)) - 32
        const q3 = ((b[ql + l] >> 4) | (((h >> 4) & 3) << 4)) - 32
        const q4 = ((b[ql + l + 32] >> 4) | (((h >> 6) & 3) << 4)) - 32
        out[y + l] = f(f(d * v.getInt8(sc + is)) * q1)
        out[y + l + 32] = f(f(d * v.getInt8(sc + is + 2)) * q2)
        out[y + l + 64] = f(f(d * v.getInt8(sc + is + 4)) * q3)
        out[y + l + 96] = f(f(d * v.getInt8(sc + is + 6)) * q4)
      }
    }
  }
}

const decoders: Record<GgmlType, Decoder> = {
  [GgmlType.F32]: decodeF32,
  [GgmlType.F16]: decodeF16,
  [GgmlType.BF16]: decodeBf16,
  [GgmlType.Q4_0]: decodeQ4_0,
  [GgmlType.Q4_1]: decodeQ4_1,
  [GgmlType.Q5_0]: decodeQ5_0,
  [GgmlType.Q5_1]: decodeQ5_1,
  [GgmlType.Q8_0]: decodeQ8_0,
  [GgmlType.Q2_K]: decodeQ2_K,
  [GgmlType.Q3_K]: decodeQ3_K,
  [GgmlType.Q4_K]: decodeQ4_K,
  [GgmlType.Q5_K]: decodeQ5_K,
  [GgmlType.Q6_K]: decodeQ6_K,
}

/** `elements` values of `type` stored in `bytes` (exactly their size) as float32. */
export function dequantize(type: GgmlType, bytes: Uint8Array, elements: number): Float32Array {
  const decode = decoders[type] as Decoder | undefined
  if (!decode) {
    throw new Error(
      `tensor type ${GgmlType[type] ?? type} is not supported (supported: ${SUPPORTED_GGML_TYPES.join(', ')})`,
    )
  }
  const layout = blockLayout[type]
  if (elements % layout.elements !== 0) {
    throw new Error(`${GgmlType[type]} needs a multiple of ${layout.elements} elements`)
  }
  const blocks = elements / layout.elements
  if (bytes.length !== blocks * layout.bytes) {
    throw new Error(
      `${GgmlType[type]} data of ${elements} elements is ${blocks * layout.bytes} bytes, got ${bytes.length}`,
    )
  }
  const out = new Float32Array(elements)
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  // F32/F16/BF16 decoders take the element count; block decoders the block count.
  decode(view, bytes, layout.elements === 1 ? elements : blocks, out)
  return out
}
