// Training text cut into pieces a tokenizer call can take: paragraphs, and a paragraph of
// megabytes without a blank line further cut before whitespace, so each encode call and
// each array of ids stays small (one call on 2 MB overflowed the stack when its ids were
// spread into push).

/** Characters per encode call at most (a piece is cut before a space or newline near it). */
export const MAX_PIECE_CHARS = 16_384

/** The pieces, in order; joined they give the text back exactly. */
export function textPieces(text: string, maxChars = MAX_PIECE_CHARS): string[] {
  const pieces: string[] = []
  // The blank lines stay with the paragraph before them, as the text had them.
  const paragraphs = text.split(/(?<=\n{2,})(?=[^\n])/)
  for (const paragraph of paragraphs) {
    let rest = paragraph
    while (rest.length > maxChars) {
      // Cut before the last whitespace in the window, so a word keeps its leading space
      // (byte-level BPE joins " word"); a window without any is cut where it ends.
      const window = rest.slice(0, maxChars + 1)
      const cut = Math.max(window.search(/\s\S*$/), 0) || maxChars
      pieces.push(rest.slice(0, cut))
      rest = rest.slice(cut)
    }
    if (rest) pieces.push(rest)
  }
  return pieces
}

/** Appends without spreading: push(...ids) passes every id as an argument on the stack. */
export function appendIds(into: number[], ids: ArrayLike<number>): void {
  for (let i = 0; i < ids.length; i++) into.push(ids[i])
}
