import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

// The default model's corpus: the King James Version of the Bible (1611, public domain; the
// Debian package's copyright file says "The copyright for the King James Version text of
// the Bible is expired"), as Debian's bible-kjv-text ships it. The packages are fetched at
// build time with `apt-get download` (no root, nothing installed), unpacked with
// `dpkg-deb -x`, and the text is printed by the package's own `bible` program.

export interface Chapter {
  /** e.g. "Ge1" */
  ref: string
  text: string
}

export function fetchKjvText(cacheDir: string): string {
  const out = join(cacheDir, 'kjv.txt')
  if (existsSync(out)) return readFileSync(out, 'utf8')
  mkdirSync(cacheDir, { recursive: true })
  const debs = () => readdirSync(cacheDir).filter((f) => f.endsWith('.deb'))
  if (debs().length < 2) {
    execFileSync('apt-get', ['download', 'bible-kjv-text', 'bible-kjv'], {
      cwd: cacheDir,
      stdio: 'pipe',
    })
  }
  const root = join(cacheDir, 'root')
  for (const deb of debs()) execFileSync('dpkg-deb', ['-x', join(cacheDir, deb), root])
  const text = execFileSync(
    join(root, 'usr/bin/bible'),
    ['-f', '-p', join(root, 'usr/lib'), 'gen1:1-rev22:21'],
    {
      maxBuffer: 64 << 20,
    },
  ).toString('utf8')
  writeFileSync(out, text)
  return text
}

/**
 * Verse lines "Ge1:1 In the beginning..." → chapters of plain text. Cleaning: the reference
 * prefix goes, whitespace is normalised, and a verse identical to one seen before is
 * dropped (the KJV repeats some verses verbatim; duplicates would leak into the held-out set).
 */
export function kjvChapters(raw: string): {
  chapters: Chapter[]
  versesKept: number
  duplicatesDropped: number
} {
  const chapters: Chapter[] = []
  const seen = new Set<string>()
  let duplicatesDropped = 0
  let versesKept = 0
  let current: { ref: string; verses: string[] } | null = null
  for (const line of raw.split('\n')) {
    const m = /^(\d?[A-Za-z]+)(\d+):\d+\s+(.*)$/.exec(line.trim())
    if (!m) continue
    const ref = `${m[1]}${m[2]}`
    const verse = m[3].replace(/\s+/g, ' ').trim()
    if (!verse) continue
    if (!current || current.ref !== ref) {
      if (current) chapters.push({ ref: current.ref, text: current.verses.join(' ') })
      current = { ref, verses: [] }
    }
    if (seen.has(verse)) {
      duplicatesDropped++
      continue
    }
    seen.add(verse)
    current.verses.push(verse)
    versesKept++
  }
  if (current) chapters.push({ ref: current.ref, text: current.verses.join(' ') })
  return { chapters: chapters.filter((c) => c.text.length > 0), versesKept, duplicatesDropped }
}

/** Every `every`-th chapter is held out, whole, so no held-out text is seen in training. */
export function splitChapters(
  chapters: Chapter[],
  every = 20,
): { train: Chapter[]; heldOut: Chapter[] } {
  return {
    train: chapters.filter((_, i) => i % every !== every - 1),
    heldOut: chapters.filter((_, i) => i % every === every - 1),
  }
}
