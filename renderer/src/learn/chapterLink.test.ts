import { describe, expect, it } from 'vitest'
import { chapterFromSearch, hasChapterLink, searchWithChapter } from './chapterLink'

describe('chapter addresses', () => {
  it('reads ?learn=N beside the token, and refuses what names no chapter', () => {
    expect(chapterFromSearch('?token=abc&learn=3', 10)).toBe(3)
    expect(chapterFromSearch('?learn=0', 10)).toBeNull()
    expect(chapterFromSearch('?learn=11', 10)).toBeNull()
    expect(chapterFromSearch('?learn=2.5', 10)).toBeNull()
    expect(chapterFromSearch('?token=abc', 10)).toBeNull()
    expect(hasChapterLink('?token=abc&learn=x')).toBe(true)
  })

  it('sets and removes the chapter, keeping the token', () => {
    expect(searchWithChapter('?token=abc', 4)).toBe('?token=abc&learn=4')
    expect(searchWithChapter('?token=abc&learn=4', 5)).toBe('?token=abc&learn=5')
    expect(searchWithChapter('?token=abc&learn=4', null)).toBe('?token=abc')
    expect(searchWithChapter('?learn=4', null)).toBe('')
  })
})
