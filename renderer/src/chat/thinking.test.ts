import { describe, expect, it } from 'vitest'
import { splitThinking } from './thinking'

describe('splitThinking', () => {
  it('separates a closed think block from the answer', () => {
    expect(splitThinking('<think>\nThe user greets me.\n</think>\n\nHello!')).toEqual({
      thinking: 'The user greets me.',
      answer: 'Hello!',
      open: false,
    })
  })

  it('keeps a block that is still being written open, with no answer yet', () => {
    expect(splitThinking('<think>\nFirst, ')).toEqual({
      thinking: 'First,',
      answer: '',
      open: true,
    })
  })

  it('reads a block the template opened (only </think> in the answer)', () => {
    expect(splitThinking('Count the letters.</think>Three.')).toEqual({
      thinking: 'Count the letters.',
      answer: 'Three.',
      open: false,
    })
  })

  it('leaves text without thinking alone, and an empty block as no reasoning', () => {
    expect(splitThinking('Just an answer <think> in the middle')).toEqual({
      thinking: null,
      answer: 'Just an answer <think> in the middle',
      open: false,
    })
    expect(splitThinking('<think>\n\n</think>\n\nHi')).toEqual({
      thinking: '',
      answer: 'Hi',
      open: false,
    })
  })
})
