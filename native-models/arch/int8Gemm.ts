// The int8 variant's projection: activations quantized per row (per token) at run time,
// weights per output channel (quant/channelQuant.ts), one MLAS integer GEMM between them.
//
// Why not MatMulNBits 8-bit: onnxruntime 1.30's kernel has no AMX path, and at prefill sizes
// MLAS's U8S8 GEMM (AMX tiles on Sapphire Rapids, VNNI before it) is 2–5× faster
// (bench/peers/int8Gemm.ts). Why per row and not com.microsoft DynamicQuantizeMatMul: that op
// takes one scale for the whole tensor, so one token with large activations (real models'
// BOS / attention-sink token, norms 10–100× the others) leaves the other rows a few codes
// each (relative error 0.5–0.8 against 0.04 per row, same benchmark).
import { MS_DOMAIN, type GraphBuilder, type Value } from '../onnx'
import type { ChannelQuantizedMatrix } from '../quant/channelQuant'

/**
 * Which integer GEMM the weights are laid out for. U8S8 (int8 weights): MLAS's AMX and VNNI
 * kernels; without VNNI its AVX2 and AVX-512BW kernels add pairs of u8 · s8 products in
 * int16 (vpmaddubsw), which 255 · 127 · 2 overflows. U8U8 (the same codes + 128 as uint8,
 * zero point 128) widens to int16 before multiplying: exact everywhere, as fast there
 * (bench/peers/int8Gemm.ts). runtime/integerGemm.ts asks the CPU which it needs.
 */
export type IntegerGemm = 'u8s8' | 'u8u8'

/** x[..., K] · Wᵀ (+ bias) for W quantized per channel; returns [..., N] float32. */
export function int8RowsMatMul(
  b: GraphBuilder,
  x: Value,
  name: string,
  m: ChannelQuantizedMatrix,
  bias: Value | null,
  gemm: IntegerGemm = 'u8s8',
): Value {
  // Row scale max|x| / 127, kept above 0 so an all-zero row quantizes to zeros, not NaN.
  const absMax = b.reduceMax(b.op('Abs', [x])[0], [-1])
  const scale = b.op('Max', [b.mul(absMax, b.scalar(1 / 127)), b.scalar(1e-30)])[0]
  // Codes as uint8 around 128 (S8S8 measured 8–12× slower than either kernel above).
  // Cast truncates, and x / scale + 128 lies in [1, 255], so + 0.5 rounds it (one node less
  // than Round).
  const codes = b.cast(b.add(b.div(x, scale), b.scalar(128.5)), 'uint8')
  const zero = (what: string) => b.initializer(`${name}.${what}`, 'uint8', [], Uint8Array.of(128))
  const q =
    gemm === 'u8s8'
      ? b.initializer(`${name}.q`, 'int8', [m.k, m.n], m.codes)
      : b.initializer(`${name}.q`, 'uint8', [m.k, m.n], offsetCodes(m.codes))
  const y = b.op(
    'MatMulIntegerToFloat',
    [
      codes,
      q,
      b.scalar(1),
      b.initializer(`${name}.scales`, 'float32', [m.n], m.scales),
      zero('azp'),
      ...(gemm === 'u8u8' ? [zero('bzp')] : []),
    ],
    {},
    { domain: MS_DOMAIN, dtype: 'float32' },
  )[0]
  // The bias goes after the row scale (inside the kernel it would be scaled with the rows).
  const out = b.mul(y, scale)
  return bias ? b.add(out, bias) : out
}

/** int8 codes c as uint8 c + 128. */
function offsetCodes(codes: Int8Array): Uint8Array {
  const out = new Uint8Array(codes.length)
  for (let i = 0; i < codes.length; i++) out[i] = codes[i] + 128
  return out
}
