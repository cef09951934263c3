import { catalogues, type Language } from './catalogues'

/** The saved choice if it is a language we have, else the first preferred one we have. */
export function pickLanguage(saved: string | null, preferred: readonly string[]): Language {
  if (saved && saved in catalogues) return saved as Language
  for (const tag of preferred) {
    const lower = tag.toLowerCase()
    if (lower.startsWith('zh')) return 'zh-CN'
    if (lower.startsWith('en')) return 'en'
  }
  return 'en'
}
