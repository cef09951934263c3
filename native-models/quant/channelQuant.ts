// Symmetric int8 weights per output channel, in the layout of MLAS's integer GEMM
// (MatMulInteger / com.microsoft MatMulIntegerToFloat: B is [K, N], one scale per column N).
// Paired with int8 activations quantized per row at run time (arch/int8Gemm.ts), this is
// what the int8 variant runs: MLAS has AMX and VNNI kernels for it, MatMulNBits has none.

export interface ChannelQuantizedMatrix {
  n: number
  k: number
  /** [K, N]: column n is output feature n, codes in −127..127 (zero point 0). */
  codes: Int8Array
  /** [N]: W[n, i] ≈ codes[i, n] · scales[n]. */
  scales: Float32Array
}

/** Quantizes w ([N, K] row-major: row n is output feature n) per row of w. */
export function quantizeChannels(w: Float32Array, n: number, k: number): ChannelQuantizedMatrix {
  const codes = new Int8Array(k * n)
  const scales = new Float32Array(n)
  for (let o = 0; o < n; o++) {
    let max = 0
    for (let i = 0; i < k; i++) max = Math.max(max, Math.abs(w[o * k + i]))
    const s = max > 0 ? max / 127 : 1
    scales[o] = s
    for (let i = 0; i < k; i++) codes[i * n + o] = Math.round(w[o * k + i] / s)
  }
  return { n, k, codes, scales }
}

/** The matrix the kernel sees, [N, K] (tests and the reference). */
export function dequantizeChannels(m: ChannelQuantizedMatrix): Float32Array {
  const out = new Float32Array(m.n * m.k)
  for (let o = 0; o < m.n; o++)
    for (let i = 0; i < m.k; i++) out[o * m.k + i] = m.codes[i * m.n + o] * m.scales[o]
  return out
}
