import { describe, expect, it } from 'vitest'
import { analogyWords, nearestWords } from './vectorMath'

// Four words in 2D: king and queen differ from man and woman by the same "royal" offset.
const words = ['man', 'woman', 'king', 'queen', 'apple']
const vectors = Float32Array.from([1, 0, 0, 1, 1, 0.2, 0.2, 1, -1, -1])

describe('word-vector arithmetic of the word2vec chapter', () => {
  it('ranks neighbours by cosine, leaves the word out, and knows unknown words', () => {
    const near = nearestWords(words, vectors, 2, ' King ', 2)!
    expect(near.map((n) => n.word)).toEqual(['man', 'queen'])
    expect(near[0].score).toBeCloseTo(1 / Math.hypot(1, 0.2), 6)
    expect(nearestWords(words, vectors, 2, 'pear', 3)).toBeNull()
  })

  it('answers king − man + woman with queen, never one of the three', () => {
    const answers = analogyWords(words, vectors, 2, ['man', 'king', 'woman'], 2)!
    expect(answers[0].word).toBe('queen')
    expect(answers.map((a) => a.word)).not.toContain('king')
    expect(analogyWords(words, vectors, 2, ['man', 'king', 'pear'], 2)).toBeNull()
  })
})
