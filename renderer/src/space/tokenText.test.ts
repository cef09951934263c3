import { describe, expect, it } from 'vitest'
import { displayToken } from './tokenText'

describe('displayToken', () => {
  it('turns byte-level BPE stand-ins into the text they encode', () => {
    expect(displayToken('Ġking')).toBe(' king')
    expect(displayToken('ĠĠ')).toBe('  ')
    expect(displayToken('Ċ')).toBe('↵')
    expect(displayToken('ĠcafÃ©')).toBe(' café')
  })

  it('turns SentencePiece word marks into spaces', () => {
    expect(displayToken('▁king')).toBe(' king')
    expect(displayToken('▁▁')).toBe('  ')
  })

  it('leaves plain words, Latin-1 words and half characters readable', () => {
    expect(displayToken('king')).toBe('king')
    expect(displayToken('café')).toBe('café')
    expect(displayToken('<|endoftext|>')).toBe('<|endoftext|>')
    // The first byte of a two-byte character alone: not decodable, markers still go.
    expect(displayToken('ĠÃ')).toBe(' Ã')
  })
})
