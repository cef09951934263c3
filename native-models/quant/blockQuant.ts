// Weight-only block quantization in the layout of com.microsoft MatMulNBits
// (onnxruntime/contrib_ops/cpu/quantization/matmul_nbits.cc): W is [N, K], quantized per
// block of `blockSize` along K, asymmetric (scale + zero point per block). Codes are packed
// low nibble first for 4 bits; zero points packed the same way, one row per N.

export interface QuantizedMatrix {
  bits: 4 | 8
  n: number
  k: number
  blockSize: number
  /** [N, kBlocks, blockSize·bits/8] */
  packed: Uint8Array
  /** [N · kBlocks] */
  scales: Float32Array
  /** 4 bits: [N, ceil(kBlocks/2)]; 8 bits: [N, kBlocks] */
  zeroPoints: Uint8Array
  /**
   * [N · kBlocks], where a block's values are scale·(code − zero point) − offset: ggml
   * types whose min is not a whole number of steps (quant/ggmlBlocks.ts).
   */
  offsets?: Float32Array
}

/** Quantizes w ([N, K] row-major: row n is output feature n). */
export function quantizeBlocks(
  w: Float32Array,
  n: number,
  k: number,
  bits: 4 | 8,
  blockSize = 32,
): QuantizedMatrix {
  const kBlocks = Math.ceil(k / blockSize)
  const blob = (blockSize * bits) / 8
  const maxCode = (1 << bits) - 1
  const packed = new Uint8Array(n * kBlocks * blob)
  const scales = new Float32Array(n * kBlocks)
  const zpRow = bits === 4 ? Math.ceil(kBlocks / 2) : kBlocks
  const zeroPoints = new Uint8Array(n * zpRow)
  for (let r = 0; r < n; r++) {
    for (let blk = 0; blk < kBlocks; blk++) {
      const start = blk * blockSize
      const end = Math.min(start + blockSize, k)
      let lo = 0
      let hi = 0
      for (let i = start; i < end; i++) {
        const x = w[r * k + i]
        if (x < lo) lo = x
        if (x > hi) hi = x
      }
      const scale = hi > lo ? (hi - lo) / maxCode : 1
      const zp = Math.min(maxCode, Math.max(0, Math.round(-lo / scale)))
      scales[r * kBlocks + blk] = scale
      if (bits === 4) zeroPoints[r * zpRow + (blk >> 1)] |= zp << ((blk & 1) * 4)
      else zeroPoints[r * zpRow + blk] = zp
      const base = (r * kBlocks + blk) * blob
      for (let i = 0; i < blockSize; i++) {
        const x = start + i < end ? w[r * k + start + i] : 0
        const q = Math.min(maxCode, Math.max(0, Math.round(x / scale) + zp))
        if (bits === 4) packed[base + (i >> 1)] |= q << ((i & 1) * 4)
        else packed[base + i] = q
      }
    }
  }
  return { bits, n, k, blockSize, packed, scales, zeroPoints }
}

/** The matrix the kernel sees, [N, K] (tests and the reference). */
export function dequantizeBlocks(q: QuantizedMatrix): Float32Array {
  const { n, k, bits, blockSize } = q
  const kBlocks = Math.ceil(k / blockSize)
  const blob = (blockSize * bits) / 8
  const zpRow = bits === 4 ? Math.ceil(kBlocks / 2) : kBlocks
  const out = new Float32Array(n * k)
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < k; i++) {
      const blk = Math.floor(i / blockSize)
      const j = i % blockSize
      const base = (r * kBlocks + blk) * blob
      const code =
        bits === 4 ? (q.packed[base + (j >> 1)] >> ((j & 1) * 4)) & 15 : q.packed[base + j]
      const zp =
        bits === 4
          ? (q.zeroPoints[r * zpRow + (blk >> 1)] >> ((blk & 1) * 4)) & 15
          : q.zeroPoints[r * zpRow + blk]
      out[r * k + i] =
        (code - zp) * q.scales[r * kBlocks + blk] - (q.offsets?.[r * kBlocks + blk] ?? 0)
    }
  }
  return out
}

/** Matrices of one K and block size stacked along N (rows), as one packed matrix. */
export function concatBlocks(parts: QuantizedMatrix[]): QuantizedMatrix {
  const [first] = parts
  const cat = (arrays: Uint8Array[]) => {
    const out = new Uint8Array(arrays.reduce((n, a) => n + a.length, 0))
    let at = 0
    for (const a of arrays) {
      out.set(a, at)
      at += a.length
    }
    return out
  }
  for (const p of parts) {
    if (p.k !== first.k || p.bits !== first.bits || p.blockSize !== first.blockSize) {
      throw new Error('concatBlocks needs one K, bit width and block size')
    }
  }
  const scales = new Float32Array(parts.reduce((n, p) => n + p.scales.length, 0))
  const offsets = parts.some((p) => p.offsets) ? new Float32Array(scales.length) : undefined
  let at = 0
  for (const p of parts) {
    scales.set(p.scales, at)
    if (p.offsets) offsets!.set(p.offsets, at)
    at += p.scales.length
  }
  return {
    ...first,
    n: parts.reduce((n, p) => n + p.n, 0),
    packed: cat(parts.map((p) => p.packed)),
    scales,
    zeroPoints: cat(parts.map((p) => p.zeroPoints)),
    ...(offsets ? { offsets } : {}),
  }
}

/** Rows [start, start + n) of m (output features), as views of its arrays. */
export function blockRows(m: QuantizedMatrix, start: number, n: number): QuantizedMatrix {
  const kBlocks = Math.ceil(m.k / m.blockSize)
  const blob = (m.blockSize * m.bits) / 8
  const zpRow = m.bits === 4 ? Math.ceil(kBlocks / 2) : kBlocks
  const rows = <T extends Uint8Array | Float32Array>(a: T, per: number) =>
    a.subarray(start * per, (start + n) * per) as T
  return {
    ...m,
    n,
    packed: rows(m.packed, kBlocks * blob),
    scales: rows(m.scales, kBlocks),
    zeroPoints: rows(m.zeroPoints, zpRow),
    ...(m.offsets ? { offsets: rows(m.offsets, kBlocks) } : {}),
  }
}
