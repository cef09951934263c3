/**
 * A vocabulary entry as a person reads it. Byte-level BPE (GPT-2, Llama 3, Qwen) stores each
 * byte as a printable stand-in (space → "Ġ", newline → "Ċ", UTF-8 bytes of "é" → "Ã©");
 * SentencePiece (Llama 2, T5) marks a leading space with "▁". Plain words (GloVe) pass as
 * they are.
 */

// GPT-2's bytes_to_unicode: printable Latin-1 bytes stand for themselves, the other 68
// bytes take the code points from U+0100 in order.
const BYTE_OF = (() => {
  const map = new Map<string, number>()
  let extra = 0
  for (let b = 0; b < 256; b++) {
    const printable = (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || b >= 0xae
    map.set(String.fromCodePoint(printable ? b : 256 + extra++), b)
  }
  return map
})()

const STAND_IN = /[\u0100-\u0143]/
const strict = new TextDecoder('utf-8', { fatal: true })

/** Whitespace made visible where it would otherwise vanish (a label of just a newline). */
function visible(text: string): string {
  return text.replace(/\n/g, '↵').replace(/\t/g, '⇥').replace(/\r/g, '␍')
}

export function displayToken(raw: string): string {
  if (raw.includes('▁')) return visible(raw.replace(/▁/g, ' '))
  const chars = [...raw]
  if (STAND_IN.test(raw) || chars.some((c) => c >= '\u0080' && BYTE_OF.has(c))) {
    if (chars.every((c) => BYTE_OF.has(c))) {
      try {
        return visible(strict.decode(Uint8Array.from(chars, (c) => BYTE_OF.get(c)!)))
      } catch {
        // Not whole UTF-8 (a token holding half a character, or a plain Latin-1 word).
      }
    }
    return visible(raw.replace(/Ġ/g, ' ').replace(/Ċ/g, '\n').replace(/ĉ/g, '\t'))
  }
  return raw
}
