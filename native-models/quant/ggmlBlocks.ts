// ggml's block types as MatMulNBits blocks, value for value. Every ggml type is, per
// sub-block, y = scale·(code − zero point) − offset with integer codes: the legacy types
// (Q4_0 … Q8_0) over blocks of 32, the K-quants over sub-blocks of 16 or 32 of a 256
// super-block, with the sub-block's scale and min the product of a 4–8-bit factor and the
// super-block's f16 d and dmin. MatMulNBits holds scale and an integer zero point per block;
// a min that is not a whole number of steps (q4_1, q5_1, q2_K, q4_K, q5_K) becomes
// QuantizedMatrix.offsets, which the graph subtracts as a second, 1/blockSize-sized product
// (arch/common.ts). Codes of 5 or 6 bits go in 8-bit blocks. Readers follow ggml-quants.c's
// dequantize_row_* (as gguf/dequantize.ts does) and produce, per ggml block, the codes in
// element order and each sub-block's scale and offset, computed in float32 as ggml does.

import { GgmlType, QK_K } from '../gguf/ggmlTypes'
import { f16BitsToF32 } from '../gguf/quantize'
import type { QuantizedMatrix } from './blockQuant'

const f = Math.fround

/** One ggml block at byte `at` → codes[0..elements), scales and offsets [0..elements/sub). */
type Reader = (
  v: DataView,
  b: Uint8Array,
  at: number,
  codes: Uint8Array,
  scales: Float32Array,
  offsets: Float32Array,
) => void

interface BlockForm {
  bits: 4 | 8
  /** The sub-block: MatMulNBits' block size. */
  sub: number
  zeroPoint: number
  /** The ggml block: elements and bytes. */
  elements: number
  bytes: number
  read: Reader
}

const half = (v: DataView, at: number) => f16BitsToF32(v.getUint16(at, true))

/** q4_0/q4_1's nibbles: byte j holds element j (low) and j + 16 (high). */
function nibbles(b: Uint8Array, at: number, codes: Uint8Array, high?: (j: number) => number) {
  for (let j = 0; j < 16; j++) {
    codes[j] = (b[at + j] & 0x0f) | (high ? high(j) : 0)
    codes[j + 16] = (b[at + j] >> 4) | (high ? high(j + 16) : 0)
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

/** q4_K/q5_K: 8 sub-blocks of 32, scale d·sc, offset dmin·m. */
function kScalesMins(v: DataView, b: Uint8Array, at: number, s: Float32Array, o: Float32Array) {
  const [d, min] = [half(v, at), half(v, at + 2)]
  for (let j = 0; j < 8; j++) {
    const [sc, m] = scaleMinK4(b, at + 4, j)
    s[j] = f(d * sc)
    o[j] = f(min * m)
  }
}

const forms: Partial<Record<GgmlType, BlockForm>> = {
  [GgmlType.Q4_0]: {
    ...{ bits: 4, sub: 32, zeroPoint: 8, elements: 32, bytes: 18 },
    read: (v, b, at, codes, s) => {
      s[0] = half(v, at)
      nibbles(b, at + 2, codes)
    },
  },
  [GgmlType.Q4_1]: {
    ...{ bits: 4, sub: 32, zeroPoint: 0, elements: 32, bytes: 20 },
    read: (v, b, at, codes, s, o) => {
      s[0] = half(v, at)
      o[0] = -half(v, at + 2)
      nibbles(b, at + 4, codes)
    },
  },
  [GgmlType.Q5_0]: {
    ...{ bits: 8, sub: 32, zeroPoint: 16, elements: 32, bytes: 22 },
    read: (v, b, at, codes, s) => {
      s[0] = half(v, at)
      const qh = v.getUint32(at + 2, true)
      nibbles(b, at + 6, codes, (j) => ((qh >>> j) & 1) << 4)
    },
  },
  [GgmlType.Q5_1]: {
    ...{ bits: 8, sub: 32, zeroPoint: 0, elements: 32, bytes: 24 },
    read: (v, b, at, codes, s, o) => {
      s[0] = half(v, at)
      o[0] = -half(v, at + 2)
      const qh = v.getUint32(at + 4, true)
      nibbles(b, at + 8, codes, (j) => ((qh >>> j) & 1) << 4)
    },
  },
  [GgmlType.Q8_0]: {
    ...{ bits: 8, sub: 32, zeroPoint: 128, elements: 32, bytes: 34 },
    read: (v, _b, at, codes, s) => {
      s[0] = half(v, at)
      for (let j = 0; j < 32; j++) codes[j] = v.getInt8(at + 2 + j) + 128
    },
  },
  // Sixteen sub-blocks of 16: 4-bit scale (low nibble) and min (high) of d and dmin.
  [GgmlType.Q2_K]: {
    ...{ bits: 4, sub: 16, zeroPoint: 0, elements: QK_K, bytes: 84 },
    read: (v, b, at, codes, s, o) => {
      const [d, min] = [half(v, at + 80), half(v, at + 82)]
      let is = 0
      for (let part = 0; part < 2; part++) {
        const q = at + 16 + part * 32
        for (let shift = 0; shift < 8; shift += 2) {
          for (let g = 0; g < 2; g++, is++) {
            const sc = b[at + is]
            s[is] = f(d * (sc & 0xf))
            o[is] = f(min * (sc >> 4))
            for (let l = 0; l < 16; l++) codes[is * 16 + l] = (b[q + g * 16 + l] >> shift) & 3
          }
        }
      }
    },
  },
  // Two low bits in qs, the third set in hmask where ggml does not subtract 4: code 0..7, zp 4.
  [GgmlType.Q3_K]: {
    ...{ bits: 4, sub: 16, zeroPoint: 4, elements: QK_K, bytes: 110 },
    read: (v, b, at, codes, s) => {
      const d = half(v, at + 108)
      for (let j = 0; j < 16; j++) {
        const low = j < 8 ? b[at + 96 + j] & 0xf : b[at + 96 + j - 8] >> 4
        const high = (b[at + 104 + (j % 4)] >> (2 * Math.floor(j / 4))) & 3
        s[j] = f(d * ((low | (high << 4)) - 32))
      }
      let is = 0
      let m = 1
      for (let part = 0; part < 2; part++) {
        const q = at + 32 + part * 32
        for (let shift = 0; shift < 8; shift += 2, m <<= 1) {
          for (let g = 0; g < 2; g++, is++) {
            for (let l = 0; l < 16; l++) {
              const k = g * 16 + l
              codes[is * 16 + l] = ((b[q + k] >> shift) & 3) | (b[at + k] & m ? 4 : 0)
            }
          }
        }
      }
    },
  },
  [GgmlType.Q4_K]: {
    ...{ bits: 4, sub: 32, zeroPoint: 0, elements: QK_K, bytes: 144 },
    read: (v, b, at, codes, s, o) => {
      kScalesMins(v, b, at, s, o)
      for (let j = 0; j < 4; j++) {
        const q = at + 16 + j * 32
        for (let l = 0; l < 32; l++) {
          codes[j * 64 + l] = b[q + l] & 0xf
          codes[j * 64 + 32 + l] = b[q + l] >> 4
        }
      }
    },
  },
  // q4_K plus a fifth bit per element in qh (bits 2j and 2j + 1 for pair j).
  [GgmlType.Q5_K]: {
    ...{ bits: 8, sub: 32, zeroPoint: 0, elements: QK_K, bytes: 176 },
    read: (v, b, at, codes, s, o) => {
      kScalesMins(v, b, at, s, o)
      for (let j = 0; j < 4; j++) {
        const ql = at + 48 + j * 32
        for (let l = 0; l < 32; l++) {
          const h = b[at + 16 + l]
          codes[j * 64 + l] = (b[ql + l] & 0xf) | (h & (1 << (2 * j)) ? 16 : 0)
          codes[j * 64 + 32 + l] = (b[ql + l] >> 4) | (h & (2 << (2 * j)) ? 16 : 0)
        }
      }
    },
  },
  // Sixteen sub-blocks of 16 with int8 scales of d; 6-bit codes less 32.
  [GgmlType.Q6_K]: {
    ...{ bits: 8, sub: 16, zeroPoint: 32, elements: QK_K, bytes: 210 },
    read: (v, b, at, codes, s) => {
      const d = half(v, at + 208)
      for (let j = 0; j < 16; j++) s[j] = f(d * v.getInt8(at + 192 + j))
      for (let part = 0; part < 2; part++) {
        const [ql, qh, y] = [at + part * 64, at + 128 + part * 32, part * 128]
        for (let l = 0; l < 32; l++) {
          const h = b[qh + l]
          codes[y + l] = (b[ql + l] & 0xf) | ((h & 3) << 4)
          codes[y + l + 32] = (b[ql + l + 32] & 0xf) | (((h >> 2) & 3) << 4)
          codes[y + l + 64] = (b[ql + l] >> 4) | (((h >> 4) & 3) << 4)
          codes[y + l + 96] = (b[ql + l + 32] >> 4) | (((h >> 6) & 3) << 4)
        }
      }
    },
  },
}

/** Whether a matrix of this type can run as MatMulNBits blocks. */
export const runsAsBlocks = (type: GgmlType): boolean => type in forms

/** `bytes`: n rows of k values of `type`, as a GGUF tensor of dims [k, n] holds them. */
export function ggmlBlocks(
  type: GgmlType,
  bytes: Uint8Array,
  n: number,
  k: number,
): QuantizedMatrix {
  const form = forms[type]
  if (!form) throw new Error(`${GgmlType[type]} has no MatMulNBits form`)
  const { bits, sub, zeroPoint, elements } = form
  const kBlocks = k / sub
  const subsPerBlock = elements / sub
  const blob = (sub * bits) / 8
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const packed = new Uint8Array(n * kBlocks * blob)
  const scales = new Float32Array(n * kBlocks)
  const offsets = new Float32Array(n * kBlocks)
  const codes = new Uint8Array(elements)
  const blockScales = new Float32Array(subsPerBlock)
  const blockOffsets = new Float32Array(subsPerBlock)
  const total = (n * k) / elements
  for (let blk = 0; blk < total; blk++) {
    blockOffsets.fill(0)
    form.read(view, bytes, blk * form.bytes, codes, blockScales, blockOffsets)
    // Rows are whole ggml blocks, so sub-blocks follow each other across the whole matrix.
    const first = blk * subsPerBlock
    scales.set(blockScales, first)
    offsets.set(blockOffsets, first)
    if (bits === 8) packed.set(codes, first * blob)
    else
      for (let i = 0; i < elements; i += 2)
        packed[first * blob + i / 2] = codes[i] | (codes[i + 1] << 4)
  }
  const zpRow = bits === 4 ? Math.ceil(kBlocks / 2) : kBlocks
  const zeroPoints = new Uint8Array(n * zpRow)
  const zpByte = bits === 4 ? zeroPoint | (zeroPoint << 4) : zeroPoint
  for (let r = 0; r < n; r++) {
    zeroPoints.fill(zpByte, r * zpRow, (r + 1) * zpRow)
    // An odd block count leaves the last byte's high nibble unused: keep it 0 as quantizeBlocks does.
    if (bits === 4 && kBlocks % 2 === 1) zeroPoints[(r + 1) * zpRow - 1] = zeroPoint
  }
  const hasOffsets = offsets.some((o) => o !== 0)
  return {
    ...{ bits, n, k, blockSize: sub, packed, scales, zeroPoints },
    ...(hasOffsets ? { offsets } : {}),
  }
}

/** Rows moved as convert_hf_to_gguf's Q/K permutation is undone (see unpermuteHeads). */
export function permuteBlockRows(m: QuantizedMatrix, heads: number): QuantizedMatrix {
  const kBlocks = Math.ceil(m.k / m.blockSize)
  const rowBytes = kBlocks * ((m.blockSize * m.bits) / 8)
  const zpRow = m.zeroPoints.length / m.n
  const headDim = m.n / heads
  const half = headDim / 2
  const out: QuantizedMatrix = {
    ...m,
    packed: new Uint8Array(m.packed.length),
    scales: new Float32Array(m.scales.length),
    zeroPoints: new Uint8Array(m.zeroPoints.length),
    ...(m.offsets ? { offsets: new Float32Array(m.offsets.length) } : {}),
  }
  for (let h = 0; h < heads; h++) {
    for (let t = 0; t < 2; t++) {
      for (let j = 0; j < half; j++) {
        const from = h * headDim + j * 2 + t
        const to = h * headDim + t * half + j
        out.packed.set(m.packed.subarray(from * rowBytes, (from + 1) * rowBytes), to * rowBytes)
        out.scales.set(m.scales.subarray(from * kBlocks, (from + 1) * kBlocks), to * kBlocks)
        out.zeroPoints.set(m.zeroPoints.subarray(from * zpRow, (from + 1) * zpRow), to * zpRow)
        out.offsets?.set(m.offsets!.subarray(from * kBlocks, (from + 1) * kBlocks), to * kBlocks)
      }
    }
  }
  return out
}
