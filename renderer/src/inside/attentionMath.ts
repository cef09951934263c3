// Pure helpers for the attention pictures: decoding the wire format and turning weights into
// pixels. Kept free of the DOM so they are unit-tested under Node.

/** base64 little-endian float32 (the contract's wire format) → Float32Array. */
export function decodeWeights(base64: string): Float32Array {
  const bin = atob(base64)
  const bytes = new Uint8Array(bin.length)
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i)
  return new Float32Array(bytes.buffer, 0, bytes.length / 4)
}

/** One head's query × key matrix, as a view into the layer's heads × query × key array. */
export function headMatrix(layer: Float32Array, head: number, seqLen: number): Float32Array {
  const size = seqLen * seqLen
  return layer.subarray(head * size, (head + 1) * size)
}

/** The app's dark panel colour: weight 0 sits on it, so an idle head fades into the page. */
const ZERO: [number, number, number] = [29, 33, 42]
const MID: [number, number, number] = [70, 115, 230]
const ONE: [number, number, number] = [255, 232, 150]
/** Cells a query cannot see (future keys): the page background, darker than weight 0. */
export const MASKED: [number, number, number] = [15, 17, 21]

const mix = (a: number[], b: number[], t: number) =>
  a.map((x, i) => Math.round(x + (b[i] - x) * t)) as [number, number, number]

/**
 * Weight → colour: dark → blue → pale yellow. The square root lifts small weights so a head
 * that spreads attention thinly still shows its pattern (BertViz does the same with
 * opacity); the hover readout always gives the true number.
 */
export function heatColor(weight: number): [number, number, number] {
  const t = Math.sqrt(Math.min(1, Math.max(0, weight)))
  return t < 0.5 ? mix(ZERO, MID, t * 2) : mix(MID, ONE, (t - 0.5) * 2)
}

/** Fills RGBA pixels (one per query × key cell); future keys (above the diagonal) are masked. */
export function paintHeatmap(matrix: ArrayLike<number>, seqLen: number, rgba: Uint8ClampedArray) {
  for (let q = 0; q < seqLen; q++) {
    for (let k = 0; k < seqLen; k++) {
      const i = (q * seqLen + k) * 4
      const [r, g, b] = k > q ? MASKED : heatColor(matrix[q * seqLen + k])
      rgba[i] = r
      rgba[i + 1] = g
      rgba[i + 2] = b
      rgba[i + 3] = 255
    }
  }
}

/** Where a pointer falls in a square heat map drawn at `size` CSS pixels. */
export function cellAt(x: number, y: number, size: number, seqLen: number) {
  const q = Math.floor((y / size) * seqLen)
  const k = Math.floor((x / size) * seqLen)
  if (q < 0 || k < 0 || q >= seqLen || k >= seqLen) return null
  return { query: q, key: k }
}

/** Shows whitespace and newlines in a token so that "▁the" and "\n" are visible. */
export function visibleToken(text: string): string {
  return text.replace(/ /g, '·').replace(/\n/g, '↵').replace(/\t/g, '⇥') || '∅'
}

/** base64 bytes (a thumbnail layer) → Uint8Array. */
export function decodeBytes(base64: string): Uint8Array {
  const bin = atob(base64)
  const bytes = new Uint8Array(bin.length)
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i)
  return bytes
}

/** Paints one head's size × size thumbnail (bytes 0..255 = weight 0..1) into RGBA pixels. */
export function paintThumbnail(
  bytes: Uint8Array,
  head: number,
  size: number,
  rgba: Uint8ClampedArray,
) {
  const base = head * size * size
  for (let i = 0; i < size * size; i++) {
    const [r, g, b] = heatColor(bytes[base + i] / 255)
    rgba[i * 4] = r
    rgba[i * 4 + 1] = g
    rgba[i * 4 + 2] = b
    rgba[i * 4 + 3] = 255
  }
}
