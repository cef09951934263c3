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

/** x[..., K] · Wᵀ (+ bias) for W quantized per channel; returns [..., N] float32. */
export function int8RowsMatMul(
  b: GraphBuilder,
  x: Value,
  name: string,
  m: ChannelQuantizedMatrix,
  bias: Value | null,
): Value {
  // Row scale max|x| / 127, kept above 0 so an all-zero row quantizes to zeros, not NaN.
  const absMax = b.reduceMax(b.op('Abs', [x])[0], [-1])
  const scale = b.op('Max', [b.mul(absMax, b.scalar(1 / 127)), b.scalar(1e-30)])[0]
  // Codes as uint8 around 128: MLAS's AMX and VNNI kernels are U8S8 (S8S8 measured 12× slower).
  // Cast truncates, and x / scale + 128 lies in [1, 255], so + 0.5 rounds it (one node less
  // than Round).
  const codes = b.cast(b.add(b.div(x, scale), b.scalar(128.5)), 'uint8')
  const y = b.op(
    'MatMulIntegerToFloat',
    [
      codes,
      b.initializer(`${name}.q`, 'int8', [m.k, m.n], m.codes),
      b.scalar(1),
      b.initializer(`${name}.scales`, 'float32', [m.n], m.scales),
      b.initializer(`${name}.azp`, 'uint8', [], Uint8Array.of(128)),
    ],
    {},
    { domain: MS_DOMAIN, dtype: 'float32' },
  )[0]
  // The bias goes after the row scale (inside the kernel it would be scaled with the rows).
  const out = b.mul(y, scale)
  return bias ? b.add(out, bias) : out
}
