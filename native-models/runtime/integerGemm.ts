// Which integer GEMM this CPU runs exactly (arch/int8Gemm.ts IntegerGemm), asked of the
// kernel itself: onnxruntime picks it from CPU features that Node cannot read everywhere.
import { GraphBuilder, MS_DOMAIN, serializeModel } from '../onnx'
import { createSessionFromBytes, ort } from '../onnx/session'
import type { IntegerGemm } from '../arch/int8Gemm'

/** 'u8s8', or 'u8u8' where one U8S8 product of the largest codes comes back saturated. */
export async function integerGemm(): Promise<IntegerGemm> {
  const k = 64
  const b = new GraphBuilder('integer-gemm-probe')
  const a = b.input('a', 'uint8', [1, k])
  const y = b.op(
    'MatMulIntegerToFloat',
    [
      a,
      b.initializer('w', 'int8', [k, 1], new Int8Array(k).fill(127)),
      b.scalar(1),
      b.initializer('s', 'float32', [1], Float32Array.of(1)),
    ],
    {},
    { domain: MS_DOMAIN, dtype: 'float32' },
  )[0]
  b.output(y, 'y')
  const session = await createSessionFromBytes(serializeModel(b), { threads: 1 })
  try {
    const ones = new ort.Tensor('uint8', new Uint8Array(k).fill(255), [1, k])
    const out = await session.run({ a: ones })
    return (out.y.data as Float32Array)[0] === 255 * 127 * k ? 'u8s8' : 'u8u8'
  } finally {
    await session.release()
  }
}
