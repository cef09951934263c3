import { createHash } from 'node:crypto'
import type { Stats } from 'node:fs'
import { readdir, readFile, stat } from 'node:fs/promises'
import { extname, join } from 'node:path'

// Which of the files a person picked can be trained on, with a verdict per file: nothing is
// skipped silently (issue 5: binary, non-UTF-8, empty and duplicate files are reported).

export const TEXT_EXTENSIONS = ['.txt', '.md']

/** Larger files are refused with this limit in the reason (a whole file is held in memory). */
export const MAX_FILE_BYTES = 64 * 1024 * 1024

const megabytes = (n: number): string =>
  n >= 1024 ** 3 ? `${(n / 1024 ** 3).toFixed(1)} GB` : `${(n / 1024 ** 2).toFixed(1)} MB`

function kindOf(info: Stats): string {
  if (info.isFIFO()) return 'a named pipe'
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device'
  if (info.isSocket()) return 'a socket'
  if (info.isDirectory()) return 'a folder'
  return 'not a plain file'
}

/** Why nothing can be trained on: each file's reason (one file: its own). */
export function noUsableFilesMessage(verdicts: FileVerdict[]): string {
  if (verdicts.length === 0) return 'no files were picked for training'
  if (verdicts.length === 1) {
    return `${verdicts[0].path} cannot be used for training: ${verdicts[0].reason}`
  }
  return (
    'none of the picked files can be used for training: ' +
    verdicts.map((v) => `${v.path} (${v.reason})`).join('; ')
  )
}

export type FileStatus = 'accepted' | 'refused' | 'skipped'

export interface FileVerdict {
  path: string
  status: FileStatus
  /** Why a file was refused or skipped; empty when accepted. */
  reason: string
  bytes: number
  chars: number
}

export interface InspectedFiles {
  verdicts: FileVerdict[]
  /** Texts of the accepted files, in verdict order. */
  texts: string[]
}

async function expand(paths: string[]): Promise<string[]> {
  const out: string[] = []
  for (const p of paths) {
    const s = await stat(p).catch(() => null)
    if (s?.isDirectory()) {
      const entries = (await readdir(p)).sort()
      out.push(...(await expand(entries.filter((e) => !e.startsWith('.')).map((e) => join(p, e)))))
    } else out.push(p)
  }
  return out
}

/** Binary: a NUL byte, or more than 10% control bytes other than tab/newline/CR/FF. */
export function looksBinary(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 65536)
  let control = 0
  for (let i = 0; i < n; i++) {
    const b = bytes[i]
    if (b === 0) return true
    if (b < 32 && b !== 9 && b !== 10 && b !== 13 && b !== 12) control++
  }
  return n > 0 && control / n > 0.1
}

export async function inspectFiles(paths: string[]): Promise<InspectedFiles> {
  const verdicts: FileVerdict[] = []
  const texts: string[] = []
  const seen = new Map<string, string>()
  const decoder = new TextDecoder('utf-8', { fatal: true })
  for (const path of await expand(paths)) {
    const verdict = (status: FileStatus, reason: string, bytes = 0, chars = 0): void => {
      verdicts.push({ path, status, reason, bytes, chars })
    }
    const ext = extname(path).toLowerCase()
    if (!TEXT_EXTENSIONS.includes(ext)) {
      verdict(
        'refused',
        `only ${TEXT_EXTENSIONS.join(' and ')} files are used (this is ${ext || 'a file without an extension'})`,
      )
      continue
    }
    // Only regular files (after symlinks): a FIFO named .txt would block the read for good,
    // a link to /dev/zero would never end.
    const info = await stat(path).catch(() => null)
    if (info && !info.isFile()) {
      verdict('refused', `not a regular file (${kindOf(info)}): only files on disk are read`)
      continue
    }
    if (info && info.size > MAX_FILE_BYTES) {
      verdict(
        'refused',
        `${megabytes(info.size)}, over the ${megabytes(MAX_FILE_BYTES)} limit for one file: split it into smaller files`,
        info.size,
      )
      continue
    }
    const bytes = info ? await readFile(path).catch(() => null) : null
    if (!bytes) {
      verdict('skipped', 'cannot be read')
      continue
    }
    if (bytes.length === 0) {
      verdict('skipped', 'empty file')
      continue
    }
    if (looksBinary(bytes)) {
      verdict('skipped', 'binary content, not text', bytes.length)
      continue
    }
    let text: string
    try {
      text = decoder.decode(bytes)
    } catch {
      verdict('skipped', 'not valid UTF-8 text', bytes.length)
      continue
    }
    text = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n')
    if (text.trim().length === 0) {
      verdict('skipped', 'only whitespace', bytes.length)
      continue
    }
    const hash = createHash('sha256').update(text).digest('hex')
    const first = seen.get(hash)
    if (first) {
      verdict('skipped', `duplicate of ${first}`, bytes.length)
      continue
    }
    seen.set(hash, path)
    verdict('accepted', '', bytes.length, text.length)
    texts.push(text)
  }
  return { verdicts, texts }
}
