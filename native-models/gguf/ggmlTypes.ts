// Type tables from the GGUF spec (ggml-org/ggml docs/gguf.md, GGUF v3) and ggml's block
// layouts (ggml-common.h): the numbers here are file format, so they never change.

export enum GgmlType {
  F32 = 0,
  F16 = 1,
  Q4_0 = 2,
  Q4_1 = 3,
  Q5_0 = 6,
  Q5_1 = 7,
  Q8_0 = 8,
  Q2_K = 10,
  Q3_K = 11,
  Q4_K = 12,
  Q5_K = 13,
  Q6_K = 14,
  BF16 = 30,
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
export const fileTypeOf: Record<ExportGgmlType, number> = {
  [GgmlType.F32]: 0,
  [GgmlType.F16]: 1,
  [GgmlType.Q4_0]: 2,
  [GgmlType.Q8_0]: 7,
}

/** The types `glassbox export` writes (the reader handles every GgmlType above). */
export type ExportGgmlType = GgmlType.F32 | GgmlType.F16 | GgmlType.Q4_0 | GgmlType.Q8_0

/** QK_K: elements per K-quant super-block. */
export const QK_K = 256

/**
 * Elements per block and bytes per block, the block_* structs of ggml-common.h: q8_0 is
 * {f16 d; int8 qs[32]}, q4_0 {f16 d; u8 qs[16]}, q4_1 {f16 d, m; u8 qs[16]}, q5_0
 * {f16 d; u8 qh[4]; u8 qs[16]}, q5_1 {f16 d, m; u8 qh[4]; u8 qs[16]}; the K-quants are
 * super-blocks of 256: q2_K {u8 scales[16]; u8 qs[64]; f16 d, dmin}, q3_K {u8 hmask[32];
 * u8 qs[64]; u8 scales[12]; f16 d}, q4_K {f16 d, dmin; u8 scales[12]; u8 qs[128]}, q5_K
 * {f16 d, dmin; u8 scales[12]; u8 qh[32]; u8 qs[128]}, q6_K {u8 ql[128]; u8 qh[64];
 * i8 scales[16]; f16 d}.
 */
export const blockLayout: Record<GgmlType, { elements: number; bytes: number }> = {
  [GgmlType.F32]: { elements: 1, bytes: 4 },
  [GgmlType.F16]: { elements: 1, bytes: 2 },
  [GgmlType.BF16]: { elements: 1, bytes: 2 },
  [GgmlType.Q4_0]: { elements: 32, bytes: 18 },
  [GgmlType.Q4_1]: { elements: 32, bytes: 20 },
  [GgmlType.Q5_0]: { elements: 32, bytes: 22 },
  [GgmlType.Q5_1]: { elements: 32, bytes: 24 },
  [GgmlType.Q8_0]: { elements: 32, bytes: 34 },
  [GgmlType.Q2_K]: { elements: QK_K, bytes: 84 },
  [GgmlType.Q3_K]: { elements: QK_K, bytes: 110 },
  [GgmlType.Q4_K]: { elements: QK_K, bytes: 144 },
  [GgmlType.Q5_K]: { elements: QK_K, bytes: 176 },
  [GgmlType.Q6_K]: { elements: QK_K, bytes: 210 },
}

export const SUPPORTED_GGML_TYPES = Object.keys(blockLayout).map((t) => GgmlType[Number(t)])

export const GGUF_MAGIC = 0x46554747 // "GGUF" read as a little-endian uint32
export const GGUF_VERSION = 3
export const GGUF_DEFAULT_ALIGNMENT = 32
/** GGML_QNT_VERSION: written as general.quantization_version when any tensor is quantized. */
export const GGML_QUANTIZATION_VERSION = 2

export type ExportType = 'f32' | 'f16' | 'q8_0' | 'q4_0'

export const ggmlTypeOf: Record<ExportType, ExportGgmlType> = {
  f32: GgmlType.F32,
  f16: GgmlType.F16,
  q8_0: GgmlType.Q8_0,
  q4_0: GgmlType.Q4_0,
}

export function tensorByteLength(type: GgmlType, elementCount: number): number {
  const layout = blockLayout[type] as { elements: number; bytes: number } | undefined
  if (!layout) {
    throw new Error(
      `tensor type ${type} is not supported (supported: ${SUPPORTED_GGML_TYPES.join(', ')})`,
    )
  }
  const { elements, bytes } = layout
  if (elementCount % elements !== 0) {
    throw new Error(
      `${GgmlType[type]} needs a multiple of ${elements} elements, got ${elementCount}`,
    )
  }
  return (elementCount / elements) * bytes
}
