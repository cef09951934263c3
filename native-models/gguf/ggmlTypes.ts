// Type tables from the GGUF spec (ggml-org/ggml docs/gguf.md, GGUF v3) and ggml's block
// layouts (ggml-common.h): the numbers here are file format, so they never change.

export enum GgmlType {
  F32 = 0,
  F16 = 1,
  Q4_0 = 2,
  Q8_0 = 8,
}

/** gguf_metadata_value_type */
export enum GgufValueType {
  UINT8 = 0,
  INT8 = 1,
  UINT16 = 2,
  INT16 = 3,
  UINT32 = 4,
  INT32 = 5,
  FLOAT32 = 6,
  BOOL = 7,
  STRING = 8,
  ARRAY = 9,
  UINT64 = 10,
  INT64 = 11,
  FLOAT64 = 12,
}

/** general.file_type (llama_ftype): the type of most tensors in the file. */
export const fileTypeOf: Record<GgmlType, number> = {
  [GgmlType.F32]: 0,
  [GgmlType.F16]: 1,
  [GgmlType.Q4_0]: 2,
  [GgmlType.Q8_0]: 7,
}

/** Elements per block and bytes per block: q8_0 is {f16 d; int8 qs[32]}, q4_0 {f16 d; u8 qs[16]}. */
export const blockLayout: Record<GgmlType, { elements: number; bytes: number }> = {
  [GgmlType.F32]: { elements: 1, bytes: 4 },
  [GgmlType.F16]: { elements: 1, bytes: 2 },
  [GgmlType.Q4_0]: { elements: 32, bytes: 18 },
  [GgmlType.Q8_0]: { elements: 32, bytes: 34 },
}

export const GGUF_MAGIC = 0x46554747 // "GGUF" read as a little-endian uint32
export const GGUF_VERSION = 3
export const GGUF_DEFAULT_ALIGNMENT = 32
/** GGML_QNT_VERSION: written as general.quantization_version when any tensor is quantized. */
export const GGML_QUANTIZATION_VERSION = 2

export type ExportType = 'f32' | 'f16' | 'q8_0' | 'q4_0'

export const ggmlTypeOf: Record<ExportType, GgmlType> = {
  f32: GgmlType.F32,
  f16: GgmlType.F16,
  q8_0: GgmlType.Q8_0,
  q4_0: GgmlType.Q4_0,
}

export function tensorByteLength(type: GgmlType, elementCount: number): number {
  const { elements, bytes } = blockLayout[type]
  if (elementCount % elements !== 0) {
    throw new Error(
      `${GgmlType[type]} needs a multiple of ${elements} elements, got ${elementCount}`,
    )
  }
  return (elementCount / elements) * bytes
}
