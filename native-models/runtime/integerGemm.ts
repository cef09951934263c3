// Which integer GEMM this CPU runs exactly (arch/int8Gemm.ts IntegerGemm), asked of the
// kernel itself: onnxruntime picks it from CPU features that Node cannot read everywhere.
import { int8RowsMatMul, type IntegerGemm } from '../arch/int8Gemm'
import { GraphBuilder, serializeModel } from '../onnx'
import { createSessionFromBytes, ort } from '../onnx/session'

/** Length of the probe's product: its exact value. */
export const PROBE_K = 64

/**
 * x = 1 · W = 1 over PROBE_K through int8RowsMatMul: the largest codes on both sides (255
 * around 128, and 127), whose pair sums saturate U8S8 without VNNI. Exact: PROBE_K.
 */
export async function largestCodesProduct(gemm: IntegerGemm): Promise<number> {
  const k = PROBE_K
  const ones = { n: 1, k, codes: new Int8Array(k).fill(127), scales: Float32Array.of(1 / 127) }
  const b = new GraphBuilder('integer-gemm-probe')
  b.output(int8RowsMatMul(b, b.input('x', 'float32', [1, k]), 'w', ones, null, gemm), 'y')
  const session = await createSessionFromBytes(serializeModel(b), { threads: 1 })
  try {
    const x = new ort.Tensor('float32', new Float32Array(k).fill(1), [1, k])
    return ((await session.run({ x })).y.data as Float32Array)[0]
  } finally {
    await session.release()
  }
}

/** 'u8s8', or 'u8u8' where that product comes back saturated. */
export async function integerGemm(): Promise<IntegerGemm> {
  const y = await largestCodesProduct('u8s8')
  return Math.abs(y - PROBE_K) < 1e-3 * PROBE_K ? 'u8s8' : 'u8u8'
}
