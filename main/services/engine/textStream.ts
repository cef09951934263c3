// Turning generated token ids into the text a person sees, one piece per token.

/**
 * Incremental detokenization. Byte-level BPE splits a multi-byte UTF-8 character across
 * tokens, and SentencePiece-style decoders drop or add spaces depending on context, so a
 * token's text is the difference between decoding a short window with and without it
 * (the prefix/read offsets of HF's text-generation-inference). A piece that ends in U+FFFD
 * is an incomplete character: it is held until the next token completes it.
 */
export class IncrementalDetokenizer {
  private ids: number[] = []
  private prefixOffset = 0
  private readOffset = 0

  constructor(private readonly decodeIds: (ids: number[]) => string) {}

  // Some tokenizers refuse an empty list; an empty window is simply no text.
  private decode(ids: number[]): string {
    return ids.length ? this.decodeIds(ids) : ''
  }

  push(id: number): string {
    this.ids.push(id)
    const prefix = this.decode(this.ids.slice(this.prefixOffset, this.readOffset))
    const full = this.decode(this.ids.slice(this.prefixOffset))
    if (full.length > prefix.length && !full.endsWith('\uFFFD')) {
      const piece = full.slice(prefix.length)
      this.prefixOffset = this.readOffset
      this.readOffset = this.ids.length
      return piece
    }
    return ''
  }

  /** Whatever is still held at the end (an incomplete character is shown as U+FFFD). */
  flush(): string {
    const prefix = this.decode(this.ids.slice(this.prefixOffset, this.readOffset))
    const full = this.decode(this.ids.slice(this.prefixOffset))
    this.prefixOffset = this.readOffset = this.ids.length
    return full.length > prefix.length ? full.slice(prefix.length) : ''
  }
}

/**
 * Stop strings over a stream of text pieces. A stop string may arrive split across tokens,
 * so text that could be the start of one is held back until it is certain either way; the
 * stop string itself and everything after it are never shown.
 */
export class StopStringFilter {
  private held = ''
  stopped = false

  constructor(private readonly stops: string[]) {}

  /** Returns the text that is safe to show now. */
  push(piece: string): string {
    if (this.stopped) return ''
    const text = this.held + piece
    let cut = -1
    for (const stop of this.stops) {
      if (!stop) continue
      const at = text.indexOf(stop)
      if (at >= 0 && (cut < 0 || at < cut)) cut = at
    }
    if (cut >= 0) {
      this.stopped = true
      this.held = ''
      return text.slice(0, cut)
    }
    const keep = this.longestPartialSuffix(text)
    this.held = text.slice(text.length - keep)
    return text.slice(0, text.length - keep)
  }

  /** At the end of generation, held text was not a stop string after all. */
  flush(): string {
    const rest = this.stopped ? '' : this.held
    this.held = ''
    return rest
  }

  private longestPartialSuffix(text: string): number {
    let best = 0
    for (const stop of this.stops) {
      for (let n = Math.min(stop.length - 1, text.length); n > best; n--) {
        if (text.endsWith(stop.slice(0, n))) {
          best = n
          break
        }
      }
    }
    return best
  }
}
