// Writers for the K-quant blocks Q4_K and Q6_K, so tests can make Q4_K_M-style files
// (llama.cpp's mix: Q6_K for the output head, attn_v and ffn_down, Q4_K elsewhere). The block
// layouts are ggml's (ggml-common.h, packed as quantize_row_q4_K_ref / q6_K_ref pack them),
// but the choice of scales is the plain one — min/max per sub-block, not ggml's iterative
// error search — so the codes differ from llama-quantize's while every file is valid.

import { GgmlType, QK_K } from './ggmlTypes'
import type { GgufFile } from './ggufWriter'
import { f16BitsToF32, f32ToF16Bits, quantizeQ8_0 } from './quantize'

const clamp = (x: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, x))
const half = (x: number) => f32ToF16Bits(x)
const roundHalf = (x: number) => f16BitsToF32(f32ToF16Bits(x))

/** block_q4_K: y = d·sc·q − dmin·m over 8 sub-blocks of 32 with 6-bit sc and m. */
export function quantizeQ4_K(x: Float32Array): Uint8Array {
  if (x.length % QK_K) throw new Error(`q4_K needs a multiple of ${QK_K} values`)
  const blocks = x.length / QK_K
  const out = new Uint8Array(blocks * 144)
  const view = new DataView(out.buffer)
  for (let b = 0; b < blocks; b++) {
    const base = b * QK_K
    const scales = new Float32Array(8)
    const mins = new Float32Array(8)
    for (let j = 0; j < 8; j++) {
      let lo = 0
      let hi = -Infinity
      for (let l = 0; l < 32; l++) {
        const v = x[base + 32 * j + l]
        lo = Math.min(lo, v)
        hi = Math.max(hi, v)
      }
      scales[j] = (hi - lo) / 15
      mins[j] = -lo
    }
    const maxScale = Math.max(...scales)
    const maxMin = Math.max(...mins)
    const d = roundHalf((maxScale / 63) * 1.001)
    const dmin = roundHalf((maxMin / 63) * 1.001)
    const at = b * 144
    view.setUint16(at, half(d), true)
    view.setUint16(at + 2, half(dmin), true)
    // Rounded up, so the step covers the sub-block and the offset reaches its minimum.
    const ls = scales.map((s) => (d ? clamp(Math.ceil(s / d), 0, 63) : 0))
    const lm = mins.map((m) => (dmin ? clamp(Math.ceil(m / dmin), 0, 63) : 0))
    for (let j = 0; j < 8; j++) {
      if (j < 4) {
        out[at + 4 + j] = ls[j]
        out[at + 4 + j + 4] = lm[j]
      } else {
        out[at + 4 + j + 4] = (ls[j] & 0xf) | ((lm[j] & 0xf) << 4)
        out[at + 4 + j - 4] |= (ls[j] >> 4) << 6
        out[at + 4 + j] |= (lm[j] >> 4) << 6
      }
    }
    const codes = new Uint8Array(QK_K)
    for (let j = 0; j < 8; j++) {
      const step = d * ls[j]
      const offset = dmin * lm[j]
      for (let l = 0; l < 32; l++) {
        const i = 32 * j + l
        codes[i] = step ? clamp(Math.round((x[base + i] + offset) / step), 0, 15) : 0
      }
    }
    for (let chunk = 0; chunk < 4; chunk++) {
      for (let l = 0; l < 32; l++) {
        out[at + 16 + chunk * 32 + l] = codes[chunk * 64 + l] | (codes[chunk * 64 + l + 32] << 4)
      }
    }
  }
  return out
}

/** block_q6_K: y = d·sc·(q − 32) over 16 groups of 16 with int8 sc and 6-bit q. */
export function quantizeQ6_K(x: Float32Array): Uint8Array {
  if (x.length % QK_K) throw new Error(`q6_K needs a multiple of ${QK_K} values`)
  const blocks = x.length / QK_K
  const out = new Uint8Array(blocks * 210)
  const view = new DataView(out.buffer)
  for (let b = 0; b < blocks; b++) {
    const base = b * QK_K
    const scales = new Float32Array(16)
    for (let g = 0; g < 16; g++) {
      let amax = 0
      for (let l = 0; l < 16; l++) amax = Math.max(amax, Math.abs(x[base + 16 * g + l]))
      scales[g] = amax / 31
    }
    const d = roundHalf(Math.max(...scales) / 127)
    const at = b * 210
    view.setUint16(at + 208, half(d), true)
    const sc = scales.map((s) => (d ? clamp(Math.round(s / d), -128, 127) : 0))
    const codes = new Uint8Array(QK_K)
    for (let g = 0; g < 16; g++) {
      view.setInt8(at + 192 + g, sc[g])
      const step = d * sc[g]
      for (let l = 0; l < 16; l++) {
        const i = 16 * g + l
        codes[i] = (step ? clamp(Math.round(x[base + i] / step), -32, 31) : 0) + 32
      }
    }
    for (let part = 0; part < 2; part++) {
      const L = part * 128
      const ql = at + part * 64
      const qh = at + 128 + part * 32
      for (let l = 0; l < 32; l++) {
        out[ql + l] = (codes[L + l] & 0xf) | ((codes[L + l + 64] & 0xf) << 4)
        out[ql + l + 32] = (codes[L + l + 32] & 0xf) | ((codes[L + l + 96] & 0xf) << 4)
        out[qh + l] =
          (codes[L + l] >> 4) |
          ((codes[L + l + 32] >> 4) << 2) |
          ((codes[L + l + 64] >> 4) << 4) |
          ((codes[L + l + 96] >> 4) << 6)
      }
    }
  }
  return out
}

/**
 * An f32 GgufFile as llama.cpp's Q4_K_M mixes it: Q6_K for the output head, attn_v and
 * ffn_down (of the layers it gives more bits: here every layer), Q4_K for the other
 * matrices, vectors left f32. A matrix whose rows are not whole blocks of 256 (SmolLM2's
 * 576) falls back to Q8_0, as llama.cpp falls back to a 32-block type there (it picks Q5_0
 * for Q4_K; we have no Q5_0 writer, so such tensors take more bits than llama.cpp's).
 */
export function q4KMMix(f32: GgufFile): GgufFile {
  const six = /^(output|blk\.\d+\.(attn_v|ffn_down))\.weight$/
  return {
    ...f32,
    tensors: f32.tensors.map((t) => {
      if (t.dims.length < 2) return t
      if (t.type !== GgmlType.F32) throw new Error(`q4KMMix needs f32 tensors, ${t.name} is not`)
      const q6 = six.test(t.name)
      const whole = t.dims[0] % QK_K === 0
      const type = !whole ? GgmlType.Q8_0 : q6 ? GgmlType.Q6_K : GgmlType.Q4_K
      const encode = () => {
        const raw = t.encode()
        const x = new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4)
        return !whole ? quantizeQ8_0(x) : q6 ? quantizeQ6_K(x) : quantizeQ4_K(x)
      }
      return { ...t, type, encode }
    }),
  }
}
