import { describe, expect, it } from 'vitest'
import { f32ToF16 } from '../arch/weights'
import { seededRandom } from '../fixture/randomModel'
import { dequantize } from '../gguf/dequantize'
import { GgmlType, blockLayout } from '../gguf/ggmlTypes'
import { dequantizeBlocks } from './blockQuant'
import { ggmlBlocks, permuteBlockRows, runsAsBlocks } from './ggmlBlocks'

/** Byte offsets of each block's f16 fields (d, and dmin or m): the rest may be any bits. */
const halves: [GgmlType, number[]][] = [
  [GgmlType.Q4_0, [0]],
  [GgmlType.Q4_1, [0, 2]],
  [GgmlType.Q5_0, [0]],
  [GgmlType.Q5_1, [0, 2]],
  [GgmlType.Q8_0, [0]],
  [GgmlType.Q2_K, [80, 82]],
  [GgmlType.Q3_K, [108]],
  [GgmlType.Q4_K, [0, 2]],
  [GgmlType.Q5_K, [0, 2]],
  [GgmlType.Q6_K, [208]],
]

/** Random blocks of `type` for n rows of k, with finite f16 scales of either sign. */
function randomBlocks(type: GgmlType, fields: number[], n: number, k: number): Uint8Array {
  const rand = seededRandom(type + 1)
  const { elements, bytes: size } = blockLayout[type]
  const bytes = Uint8Array.from({ length: ((n * k) / elements) * size }, () => (rand() * 256) | 0)
  const view = new DataView(bytes.buffer)
  for (let at = 0; at < bytes.length; at += size) {
    for (const off of fields) {
      const [h] = f32ToF16(Float32Array.of((rand() - 0.3) * 0.05))
      view.setUint16(at + off, h, true)
    }
  }
  return bytes
}

describe('ggml blocks as MatMulNBits blocks', () => {
  it.each(halves)('%s: the values ggml dequantizes, block for block', (type, fields) => {
    const [n, k] = [3, 512]
    const bytes = randomBlocks(type, fields, n, k)
    const want = dequantize(type, bytes, n * k)
    const m = ggmlBlocks(type, bytes, n, k)
    const got = dequantizeBlocks(m)
    let worst = 0
    let scale = 0
    for (let i = 0; i < want.length; i++) {
      worst = Math.max(worst, Math.abs(got[i] - want[i]))
      scale = Math.max(scale, Math.abs(want[i]))
    }
    // ggml rounds d·sc·q and the subtraction to float32 one step at a time; dequantizeBlocks
    // in double: they part by float32 rounding only.
    expect(worst).toBeLessThanOrEqual(2 ** -22 * scale)
    expect(scale).toBeGreaterThan(0)
    // A min that is not a whole number of steps is an offset; the others need none.
    const withMin = [GgmlType.Q4_1, GgmlType.Q5_1, GgmlType.Q2_K, GgmlType.Q4_K, GgmlType.Q5_K]
    expect(m.offsets !== undefined).toBe(withMin.includes(type))
  })

  it('moves offsets with their rows when undoing the Q/K permutation', () => {
    const [n, k] = [8, 256]
    const bytes = randomBlocks(GgmlType.Q4_K, [0, 2], n, k)
    const m = ggmlBlocks(GgmlType.Q4_K, bytes, n, k)
    const moved = dequantizeBlocks(permuteBlockRows(m, 2))
    const flat = dequantizeBlocks(m)
    // Head 0's rows 0,2 → 0,1 and 1,3 → 2,3 (interleaved halves to split halves).
    for (const [from, to] of [
      [0, 0],
      [2, 1],
      [1, 2],
      [3, 3],
    ]) {
      expect(moved.subarray(to * k, (to + 1) * k)).toEqual(flat.subarray(from * k, (from + 1) * k))
    }
  })

  it('has a form for every quantized type and none for floats', () => {
    expect(halves.every(([t]) => runsAsBlocks(t))).toBe(true)
    expect([GgmlType.F32, GgmlType.F16, GgmlType.BF16].some(runsAsBlocks)).toBe(false)
  })
})
