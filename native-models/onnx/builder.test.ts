import { describe, expect, it } from 'vitest'
import { GraphBuilder, serializeModel } from './index'
import { createSessionFromBytes, ort } from './session'

describe('GraphBuilder', () => {
  it('builds a model that onnxruntime-node loads and runs', async () => {
    const b = new GraphBuilder()
    const x = b.input('x', 'float32', ['batch', 3])
    const w = b.initializer('w', 'float32', [3, 2], Float32Array.from([1, 0, 0, 1, 1, 1]))
    const y = b.add(b.matMul(x, w), b.scalar(0.5))
    b.output(b.softmax(y, -1), 'probs')
    b.output(b.reduceMean(y, [-1], false), 'mean')
    b.output(b.geluTanh(y), 'gelu')
    const session = await createSessionFromBytes(serializeModel(b))
    const out = await session.run({
      x: new ort.Tensor('float32', Float32Array.from([1, 2, 3, 0, 0, 0]), [2, 3]),
    })
    // y row 0 = [1+3, 2+3] + 0.5 = [4.5, 5.5]; row 1 = [0.5, 0.5]
    const probs = out.probs.data as Float32Array
    expect(probs[0]).toBeCloseTo(1 / (1 + Math.E), 5)
    expect(probs[2]).toBeCloseTo(0.5, 6)
    expect(Array.from(out.mean.data as Float32Array)).toEqual([5, 0.5])
    const g = (out.gelu.data as Float32Array)[2]
    expect(g).toBeCloseTo(
      0.5 * 0.5 * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (0.5 + 0.044715 * 0.125))),
      6,
    )
    await session.release()
  })

  it('records an inspectable graph: op types, inputs, outputs, typed attributes', () => {
    const b = new GraphBuilder()
    const x = b.input('x', 'float32', [2, 2])
    const t = b.transpose(x, [1, 0])
    const s = b.shape(t)
    expect(s.dtype).toBe('int64')
    const node = b.nodes.find((n) => n.opType === 'Transpose')!
    expect(node.inputs).toEqual(['x'])
    expect(node.outputs).toEqual([t.name])
    expect(node.attributes.perm).toEqual({ kind: 'ints', value: [1, 0] })
    expect(b.values.get(t.name)?.dtype).toBe('float32')
  })

  it('runs com.microsoft MatMulNBits (4-bit, block 32)', async () => {
    const K = 32
    const N = 2
    const b = new GraphBuilder()
    const x = b.input('x', 'float32', [1, K])
    // Every weight quantized to code 9 with zero point 8 and scale 0.5 → weight 0.5.
    const packed = new Uint8Array(N * (K / 2)).fill(0x99)
    const w = b.initializer('w_q', 'uint8', [N, 1, K / 2], packed)
    const scales = b.initializer('w_s', 'float32', [N], Float32Array.from([0.5, 0.5]))
    b.output(b.matMulNBits(x, w, scales, null, K, N, 4, 32), 'y')
    const session = await createSessionFromBytes(serializeModel(b))
    const out = await session.run({
      x: new ort.Tensor('float32', new Float32Array(K).fill(1), [1, K]),
    })
    expect(Array.from(out.y.data as Float32Array)).toEqual([16, 16])
  })
})
