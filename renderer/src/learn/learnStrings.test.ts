import { describe, expect, it } from 'vitest'
import en from '../i18n/en/learn'
import zh from '../i18n/zh-CN/learn'

// The renderer's tsconfig has no Node types: Vite's glob import reads the sources instead.
declare global {
  interface ImportMeta {
    glob(
      pattern: string,
      options: { query: '?raw'; import: 'default'; eager: true },
    ): Record<string, string>
  }
}

// The Learn tab's own files: every word a learner reads comes from the catalogue.
const SOURCES = import.meta.glob('./**/*.tsx', { query: '?raw', import: 'default', eager: true })

/** Text between JSX tags, and the attributes a person sees, written as literals. */
function hardCoded(source: string): string[] {
  const found: string[] = []
  for (const m of source.matchAll(/>([^<>{}]*[A-Za-z\u4e00-\u9fff][^<>{}]*)</g)) {
    // Type arguments (useState<T>(null), Promise<void>) look like tags to a regex; code does
    // not read as prose: brackets, assignments, member access.
    if (/[()=;]|\w\.\w/.test(m[1])) continue
    if (m[1].trim()) found.push(m[1].trim())
  }
  for (const m of source.matchAll(/\b(aria-label|title|placeholder|alt)="([^"]+)"/g)) {
    found.push(`${m[1]}="${m[2]}"`)
  }
  return found
}

function keys(o: object, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) =>
    typeof v === 'string' ? [prefix + k] : keys(v as object, `${prefix}${k}.`),
  )
}

describe('the Learn tab’s strings', () => {
  it('has no visible text written outside the catalogue', () => {
    const files = Object.entries(SOURCES)
    expect(files.length).toBeGreaterThan(10)
    const offenders = files.flatMap(([file, source]) =>
      hardCoded(source).map((s) => `${file}: ${s}`),
    )
    expect(offenders).toEqual([])
  })

  it('has every English key in Chinese, none left empty or untranslated', () => {
    expect(keys(zh).sort()).toEqual(keys(en).sort())
    const get = (o: object, key: string) =>
      key.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], o) as string
    for (const key of keys(en)) {
      expect(get(zh, key).trim(), key).not.toBe('')
      // The same sentence in both means it was not translated (names and formulas may match).
      if (get(en, key).split(' ').length > 4 && !get(en, key).includes('−'))
        expect(get(zh, key), key).not.toBe(get(en, key))
    }
  })

  it('the scan catches a literal', () => {
    expect(hardCoded('<p>Loading…</p><button title="Go">{t("x")}</button>')).toEqual([
      'Loading…',
      'title="Go"',
    ])
  })
})
