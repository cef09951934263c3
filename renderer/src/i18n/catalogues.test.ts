import { describe, expect, it } from 'vitest'
import { catalogues } from './catalogues'
import { pickLanguage } from './pickLanguage'

type Tree = { readonly [key: string]: string | Tree }

function leaves(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>()
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key
    if (typeof value === 'string') out.set(path, value)
    else for (const [k, v] of leaves(value, path)) out.set(k, v)
  }
  return out
}

const variables = (s: string) => [...s.matchAll(/\{\{\s*(\w+)/g)].map((m) => m[1]).sort()

describe('the interface catalogues', () => {
  const english = leaves(catalogues.en)
  const chinese = leaves(catalogues['zh-CN'])

  it('has every English key in 简体中文, and no key English lacks', () => {
    expect([...english.keys()].filter((k) => !chinese.has(k))).toEqual([])
    expect([...chinese.keys()].filter((k) => !english.has(k))).toEqual([])
  })

  it('has no empty string and the same {{variables}} in both languages', () => {
    for (const [key, text] of english) {
      expect(text.trim(), key).not.toBe('')
      expect((chinese.get(key) ?? '').trim(), key).not.toBe('')
      expect(variables(chinese.get(key) ?? ''), key).toEqual(variables(text))
    }
  })

  it('really is translated: most Chinese strings contain Chinese characters', () => {
    const translated = [...chinese.values()].filter((s) => /[\u4e00-\u9fff]/.test(s)).length
    expect(translated / chinese.size).toBeGreaterThan(0.6)
  })
})

describe('pickLanguage', () => {
  it('prefers the saved choice, then the OS languages, then English', () => {
    expect(pickLanguage('zh-CN', ['en-US'])).toBe('zh-CN')
    expect(pickLanguage(null, ['zh-TW', 'en'])).toBe('zh-CN')
    expect(pickLanguage(null, ['de-DE', 'en-GB'])).toBe('en')
    expect(pickLanguage('fr', ['fr-FR'])).toBe('en')
  })
})
