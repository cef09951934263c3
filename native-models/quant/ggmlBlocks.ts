// ggml's Q4_0 and Q8_0 blocks as MatMulNBits blocks, value for value: both are blocks of 32
// along K with one scale, and ggml's signed codes are MatMulNBits' unsigned codes less a
// fixed zero point (q4_0: y = (q − 8)·d, zero point 8; q8_0: y = q·d with q in int8, code
// q + 128 and zero point 128). Only the nibble order differs: ggml puts element j and
// j + 16 in byte j, MatMulNBits elements 2i and 2i + 1 in byte i.

import { GgmlType } from '../gguf/ggmlTypes'
import { f16BitsToF32 } from '../gguf/quantize'
import type { QuantizedMatrix } from './blockQuant'

/** `bytes`: n rows of k values of Q4_0 or Q8_0, as a GGUF tensor of dims [k, n] holds them. */
export function ggmlBlocks(
  type: GgmlType.Q4_0 | GgmlType.Q8_0,
  bytes: Uint8Array,
  n: number,
  k: number,
): QuantizedMatrix {
  const kBlocks = k / 32
  const blocks = n * kBlocks
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const scales = new Float32Array(blocks)
  if (type === GgmlType.Q8_0) {
    const packed = new Uint8Array(blocks * 32)
    for (let b = 0; b < blocks; b++) {
      scales[b] = f16BitsToF32(view.getUint16(b * 34, true))
      for (let j = 0; j < 32; j++) packed[b * 32 + j] = (view.getInt8(b * 34 + 2 + j) + 128) & 0xff
    }
    return {
      bits: 8,
      n,
      k,
      blockSize: 32,
      packed,
      scales,
      zeroPoints: new Uint8Array(blocks).fill(128),
    }
  }
  const packed = new Uint8Array(blocks * 16)
  for (let b = 0; b < blocks; b++) {
    scales[b] = f16BitsToF32(view.getUint16(b * 18, true))
    const code = (e: number) => {
      const byte = bytes[b * 18 + 2 + (e % 16)]
      return e < 16 ? byte & 0x0f : byte >> 4
    }
    for (let i = 0; i < 16; i++) packed[b * 16 + i] = code(2 * i) | (code(2 * i + 1) << 4)
  }
  // Zero point 8 for every block: two blocks per byte, [n, ceil(kBlocks / 2)].
  const zpRow = Math.ceil(kBlocks / 2)
  const zeroPoints = new Uint8Array(n * zpRow)
  for (let r = 0; r < n; r++) {
    for (let blk = 0; blk < kBlocks; blk++)
      zeroPoints[r * zpRow + (blk >> 1)] |= 8 << ((blk & 1) * 4)
  }
  return { bits: 4, n, k, blockSize: 32, packed, scales, zeroPoints }
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
  }
  for (let h = 0; h < heads; h++) {
    for (let t = 0; t < 2; t++) {
      for (let j = 0; j < half; j++) {
        const from = h * headDim + j * 2 + t
        const to = h * headDim + t * half + j
        out.packed.set(m.packed.subarray(from * rowBytes, (from + 1) * rowBytes), to * rowBytes)
        out.scales.set(m.scales.subarray(from * kBlocks, (from + 1) * kBlocks), to * kBlocks)
        out.zeroPoints.set(m.zeroPoints.subarray(from * zpRow, (from + 1) * zpRow), to * zpRow)
      }
    }
  }
  return out
}
