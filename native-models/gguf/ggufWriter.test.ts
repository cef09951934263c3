import { describe, expect, it } from 'vitest'
import { GgmlType, GgufValueType } from './ggmlTypes'
import { ggufChunks, gguf, type GgufFile } from './ggufWriter'
import { parseGguf } from './ggufReader'
import {
  decodeF16,
  dequantizeQ8_0,
  encodeF16,
  encodeF32,
  quantizeQ4_0,
  quantizeQ8_0,
} from './quantize'

function concat(chunks: Iterable<Uint8Array>): Uint8Array {
  const parts = [...chunks]
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

const ramp = (n: number, scale = 0.01) =>
  Float32Array.from({ length: n }, (_, i) => (i - n / 2) * scale)

describe('GGUF writer', () => {
  const vector = ramp(7) // 28 bytes: forces padding before the next tensor
  const matrix = ramp(64 * 3)
  const file: GgufFile = {
    metadata: [
      ['general.architecture', gguf.str('llama')],
      ['general.alignment', gguf.u32(32)],
      ['test.u64', gguf.u64(2 ** 40 + 3)],
      ['test.f32', gguf.f32(1e-5)],
      ['test.bool', gguf.bool(true)],
      ['test.unicode', gguf.str('Ġhello ✓ 日本')],
      // Gemma's vocabulary has "\uFEFF#": a leading byte order mark is part of the token.
      ['test.strings', gguf.strings(['a', 'b c', '', '\uFEFF#'])],
      ['test.floats', gguf.f32s([0.5, -3])],
      ['test.ints', gguf.i32s([-1, 0, 7])],
    ],
    tensors: [
      { name: 'v', dims: [7], type: GgmlType.F32, encode: () => encodeF32(vector) },
      { name: 'h', dims: [64, 3], type: GgmlType.F16, encode: () => encodeF16(matrix) },
      { name: 'q8', dims: [64, 3], type: GgmlType.Q8_0, encode: () => quantizeQ8_0(matrix) },
      { name: 'q4', dims: [64, 3], type: GgmlType.Q4_0, encode: () => quantizeQ4_0(matrix) },
    ],
  }
  const bytes = concat(ggufChunks(file))
  const parsed = parseGguf(bytes)

  it('starts with the magic and version 3', () => {
    expect(new TextDecoder().decode(bytes.subarray(0, 4))).toBe('GGUF')
    expect(parsed.version).toBe(3)
  })

  it('reads back every metadata value with its type', () => {
    expect(parsed.metadata.get('general.architecture')).toBe('llama')
    expect(parsed.metadata.get('test.u64')).toBe(BigInt(2 ** 40 + 3))
    expect(parsed.metadataTypes.get('test.u64')).toBe(GgufValueType.UINT64)
    expect(parsed.metadata.get('test.f32')).toBeCloseTo(1e-5, 12)
    expect(parsed.metadata.get('test.bool')).toBe(true)
    expect(parsed.metadata.get('test.unicode')).toBe('Ġhello ✓ 日本')
    expect(parsed.metadata.get('test.strings')).toEqual(['a', 'b c', '', '\uFEFF#'])
    expect(parsed.metadata.get('test.floats')).toEqual([0.5, -3])
    expect(parsed.metadata.get('test.ints')).toEqual([-1, 0, 7])
  })

  it('places tensors at aligned offsets with the sizes their types imply', () => {
    expect(parsed.dataOffset % 32).toBe(0)
    expect(parsed.tensors.map((t) => [t.name, t.dims, t.type, t.byteLength])).toEqual([
      ['v', [7], GgmlType.F32, 28],
      ['h', [64, 3], GgmlType.F16, 384],
      ['q8', [64, 3], GgmlType.Q8_0, 6 * 34],
      ['q4', [64, 3], GgmlType.Q4_0, 6 * 18],
    ])
    for (const t of parsed.tensors) expect(t.offset % 32).toBe(0)
    const last = parsed.tensors[3]
    expect(bytes.length).toBe(last.offset + 128) // 108 bytes padded to 32
  })

  it('stores the encoded data where the infos say', () => {
    const at = (name: string) => {
      const t = parsed.tensors.find((x) => x.name === name)!
      return bytes.slice(t.offset, t.offset + t.byteLength)
    }
    expect([...new Float32Array(at('v').buffer)]).toEqual([...vector])
    const h = decodeF16(at('h'))
    h.forEach((v, i) => expect(v).toBeCloseTo(matrix[i], 3))
    const q8 = dequantizeQ8_0(at('q8'))
    q8.forEach((v, i) => expect(Math.abs(v - matrix[i])).toBeLessThan(0.01))
    expect([...at('q4')]).toEqual([...quantizeQ4_0(matrix)])
  })

  it('refuses a tensor whose encoding has the wrong size', () => {
    const bad: GgufFile = {
      metadata: [],
      tensors: [{ name: 'x', dims: [8], type: GgmlType.F32, encode: () => new Uint8Array(4) }],
    }
    expect(() => concat(ggufChunks(bad))).toThrow(/expected 32/)
  })
})
