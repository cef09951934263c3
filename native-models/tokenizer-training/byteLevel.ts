// Byte-level pieces shared by the BPE trainer and its tests, following GPT-2's encoder.py
// (Radford et al. 2019) as HF tokenizers implements it in its ByteLevel pre-tokenizer.

/** GPT-2's split pattern: HF's ByteLevel pre-tokenizer applies exactly this with use_regex. */
export const GPT2_SPLIT =
  /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu

/**
 * Maps each byte to a printable character (GPT-2's bytes_to_unicode): printable Latin-1
 * bytes map to themselves, the rest to U+0100.., so every byte string is a visible string
 * and no token ever contains a raw control byte or space.
 */
export function byteToUnicodeTable(): string[] {
  const keep: number[] = []
  for (let b = 33; b <= 126; b++) keep.push(b)
  for (let b = 161; b <= 172; b++) keep.push(b)
  for (let b = 174; b <= 255; b++) keep.push(b)
  const table: string[] = new Array(256)
  let extra = 0
  for (let b = 0; b < 256; b++) {
    table[b] = keep.includes(b) ? String.fromCharCode(b) : String.fromCharCode(256 + extra++)
  }
  return table
}

const encoder = new TextEncoder()

/** Splits text into pre-tokens and spells each as its byte-level characters. */
export function byteLevelWords(text: string, table: string[]): string[] {
  const out: string[] = []
  for (const match of text.matchAll(GPT2_SPLIT)) {
    let word = ''
    for (const byte of encoder.encode(match[0])) word += table[byte]
    out.push(word)
  }
  return out
}
