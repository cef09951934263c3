// Weight access shared by the architectures: one interface over safetensors (io/) or any
// in-memory source, plus the half-precision conversions.

import type { QuantizedMatrix } from '../quant/blockQuant'

export type WeightDType = 'F32' | 'F16' | 'BF16'
export const SUPPORTED_WEIGHT_DTYPES: WeightDType[] = ['F32', 'F16', 'BF16']

export interface TensorEntry {
  name: string
  dtype: WeightDType
  shape: number[]
  /** File the tensor lives in, for error messages. */
  file: string
}

export interface WeightSource {
  has(name: string): boolean
  entry(name: string): TensorEntry
  /** The tensor as float32 (a view when stored as aligned F32, else a converted copy). */
  f32(name: string): Float32Array
  names(): string[]
  /**
   * A [out, in] projection as MatMulNBits blocks when the file stores it in a form those
   * hold exactly (GGUF Q4_0, Q8_0), so it reaches the graph without being requantized.
   */
  blocks?(name: string): QuantizedMatrix | undefined
}

/** A clear one-line error naming the file and the problem. */
export class ModelFormatError extends Error {
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`${file}: ${problem}`)
    this.name = 'ModelFormatError'
  }
}

const f16Table = (() => {
  const t = new Float32Array(65536)
  for (let h = 0; h < 65536; h++) {
    const s = h & 0x8000 ? -1 : 1
    const e = (h >> 10) & 0x1f
    const m = h & 0x3ff
    if (e === 0) t[h] = s * m * 2 ** -24
    else if (e === 31) t[h] = m ? NaN : s * Infinity
    else t[h] = s * (1 + m / 1024) * 2 ** (e - 15)
  }
  return t
})()

export function f16ToF32(src: Uint16Array): Float32Array {
  const out = new Float32Array(src.length)
  for (let i = 0; i < src.length; i++) out[i] = f16Table[src[i]]
  return out
}

export function bf16ToF32(src: Uint16Array): Float32Array {
  const out = new Float32Array(src.length)
  const u = new Uint32Array(out.buffer)
  for (let i = 0; i < src.length; i++) u[i] = src[i] << 16
  return out
}

export function f32ToBf16(src: Float32Array): Uint16Array {
  const u = new Uint32Array(src.buffer, src.byteOffset, src.length)
  const out = new Uint16Array(src.length)
  // Round to nearest even, as torch does.
  for (let i = 0; i < src.length; i++) out[i] = (u[i] + 0x7fff + ((u[i] >> 16) & 1)) >>> 16
  return out
}

const f32Scratch = new Float32Array(1)
const u32Scratch = new Uint32Array(f32Scratch.buffer)
export function f32ToF16(src: Float32Array): Uint16Array {
  const out = new Uint16Array(src.length)
  for (let i = 0; i < src.length; i++) {
    f32Scratch[0] = src[i]
    const x = u32Scratch[0]
    const sign = (x >>> 16) & 0x8000
    const e = ((x >>> 23) & 0xff) - 127 + 15
    const m = x & 0x7fffff
    if (e >= 31) out[i] = sign | 0x7c00
    else if (e <= 0) out[i] = e < -10 ? sign : sign | ((m | 0x800000) >> (1 - e + 13))
    else out[i] = sign | (e << 10) | ((m + 0x1000) >> 13)
  }
  return out
}

/** An in-memory weight source (fixtures, tests). */
export class MemoryWeights implements WeightSource {
  constructor(
    private readonly tensors: Map<string, { shape: number[]; data: Float32Array }>,
    private readonly file = 'memory',
  ) {}
  has(name: string): boolean {
    return this.tensors.has(name)
  }
  entry(name: string): TensorEntry {
    const t = this.tensors.get(name)
    if (!t) throw new ModelFormatError(this.file, `missing tensor ${name}`)
    return { name, dtype: 'F32', shape: t.shape, file: this.file }
  }
  f32(name: string): Float32Array {
    this.entry(name)
    return this.tensors.get(name)!.data
  }
  names(): string[] {
    return [...this.tensors.keys()]
  }
}
