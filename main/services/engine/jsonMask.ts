// The token mask for schema-constrained decoding: at each step, the tokens whose text keeps
// the output a valid prefix of the schema's language (jsonGrammar.ts). The vocabulary is
// put in a character trie once per model, so one walk with the grammar state prunes every
// token that shares a rejected prefix; the end-of-text tokens are allowed only when the
// value is complete.
import {
  canEnd,
  compileSchema,
  initialState,
  isStringSpecial,
  openStringRoom,
  step,
  type GrammarState,
} from './jsonGrammar'
import type { LogitsProcessor } from './sampling'

interface TrieNode {
  children: Map<string, TrieNode>
  /** Tokens whose whole text ends at this node. */
  ids: number[]
}

export interface Vocabulary {
  root: TrieNode
  size: number
  /** Per token: its text, '' for tokens that cannot be written as text (special, partial UTF-8). */
  pieces: string[]
  /** Tokens whose text has no quote, backslash or control character, and their lengths in
   *  characters: inside a string they fit whenever the string has room. */
  plainIds: Int32Array
  plainLengths: Int32Array
  /** The other usable tokens, checked one by one inside a string. */
  otherIds: Int32Array
}

/** The trie of the tokens' texts; tokens with no text or a partial character are left out. */
export function buildVocabulary(size: number, pieceOf: (id: number) => string): Vocabulary {
  const root: TrieNode = { children: new Map(), ids: [] }
  const pieces: string[] = []
  const plainIds: number[] = []
  const plainLengths: number[] = []
  const otherIds: number[] = []
  for (let id = 0; id < size; id++) {
    const piece = pieceOf(id)
    const usable = piece.length > 0 && !piece.includes('\uFFFD')
    pieces.push(usable ? piece : '')
    if (!usable) continue
    const chars = [...piece]
    if (chars.some(isStringSpecial)) otherIds.push(id)
    else {
      plainIds.push(id)
      plainLengths.push(chars.length)
    }
    let node = root
    for (const c of piece) {
      let next = node.children.get(c)
      if (!next) node.children.set(c, (next = { children: new Map(), ids: [] }))
      node = next
    }
    node.ids.push(id)
  }
  return {
    root,
    size,
    pieces,
    plainIds: Int32Array.from(plainIds),
    plainLengths: Int32Array.from(plainLengths),
    otherIds: Int32Array.from(otherIds),
  }
}

/** Where one constrained generation stands; `accept` each sampled token. */
export class JsonConstraint {
  private state: GrammarState
  private readonly allowed: Uint8Array
  /** Time spent computing masks, for the bench. */
  maskMs = 0

  constructor(
    schema: unknown,
    private readonly vocab: Vocabulary,
    private readonly eosIds: readonly number[],
    private readonly now: () => number = () => performance.now(),
  ) {
    this.state = initialState(compileSchema(schema))
    this.allowed = new Uint8Array(vocab.size)
  }

  /** The output is a whole value: nothing more may be generated. */
  get complete(): boolean {
    return this.state.length === 0
  }

  accept(tokenId: number): void {
    let state: GrammarState | null = this.state
    for (const c of this.vocab.pieces[tokenId] ?? '') {
      state = state && step(state, c)
    }
    // The mask only lets such tokens through; end-of-text leaves the state as it is.
    if (state) this.state = state
  }

  private fits(piece: string): boolean {
    let state: GrammarState | null = this.state
    for (const c of piece) if (!(state = state && step(state, c))) return false
    return true
  }

  /** The mask as a processor for the sampler. */
  readonly processor: LogitsProcessor = (logits) => {
    const start = this.now()
    const allowed = this.allowed
    allowed.fill(0)
    const room = openStringRoom(this.state)
    if (room !== null) {
      // Inside a string nearly every token fits: walking the trie would visit all of it.
      const { plainIds, plainLengths, otherIds, pieces } = this.vocab
      for (let i = 0; i < plainIds.length; i++)
        if (plainLengths[i] <= room) allowed[plainIds[i]] = 1
      for (const id of otherIds) if (this.fits(pieces[id])) allowed[id] = 1
    } else walk(this.vocab.root, this.state, allowed)
    if (canEnd(this.state)) for (const id of this.eosIds) allowed[id] = 1
    let any = false
    const n = Math.min(logits.length, allowed.length)
    for (let i = 0; i < n; i++) {
      if (allowed[i]) any = true
      else logits[i] = -Infinity
    }
    for (let i = n; i < logits.length; i++) logits[i] = -Infinity
    // No token can continue (a vocabulary without the needed character): leave end-of-text.
    if (!any) for (const id of this.eosIds) logits[id] = 0
    this.maskMs += this.now() - start
  }
}

function walk(node: TrieNode, state: GrammarState, allowed: Uint8Array): void {
  for (const [c, child] of node.children) {
    const next = step(state, c)
    if (!next) continue
    for (const id of child.ids) allowed[id] = 1
    if (child.children.size > 0 && next.length > 0) walk(child, next, allowed)
  }
}
