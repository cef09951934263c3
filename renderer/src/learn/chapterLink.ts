// Each chapter has its own address: `?learn=N` in the page's URL (beside the browser mode's
// token, which stays as it is).

const PARAM = 'learn'

/** The chapter the address asks for, or null when it names none of 1..count. */
export function chapterFromSearch(search: string, count: number): number | null {
  const raw = new URLSearchParams(search).get(PARAM)
  if (raw === null || !/^\d+$/.test(raw)) return null
  const n = Number(raw)
  return n >= 1 && n <= count ? n : null
}

/** The same address with the chapter set (a number) or removed (null). */
export function searchWithChapter(search: string, chapter: number | null): string {
  const params = new URLSearchParams(search)
  if (chapter === null) params.delete(PARAM)
  else params.set(PARAM, String(chapter))
  const s = params.toString()
  return s ? `?${s}` : ''
}

export function hasChapterLink(search: string): boolean {
  return new URLSearchParams(search).has(PARAM)
}
