import { describe, expect, it } from 'vitest'
import { onShowWords, showWordsInSpace, takePendingWords, wordsOfMessage } from './spaceLink'

describe('show these words in the space', () => {
  it('delivers the words to a listening view and keeps them for one that mounts later', () => {
    const seen: string[][] = []
    const off = onShowWords((w) => seen.push(w))
    showWordsInSpace([' king ', 'queen', 'king', ''])
    expect(seen).toEqual([['king', 'queen']])
    off()
    showWordsInSpace(['frog'])
    expect(seen).toHaveLength(1)
    expect(takePendingWords()).toEqual(['frog'])
    expect(takePendingWords()).toBeNull()
  })

  it('takes the words of a chat message', () => {
    expect(wordsOfMessage('The King and the queen — a king’s 2 crowns!')).toEqual([
      'the',
      'king',
      'and',
      'queen',
      'crowns',
    ])
  })
})
