// onnxruntime writes a session's profile to <prefix>_<time>.json when the session ends.
import { readdirSync, readFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'

/** The profile a session with `profilePrefix` wrote when it ended (the newest one). */
export function readProfile(prefix: string): unknown {
  const dir = dirname(prefix)
  const start = `${basename(prefix)}_`
  const files = readdirSync(dir)
    .filter((f) => f.startsWith(start) && f.endsWith('.json'))
    .sort()
  if (!files.length) throw new Error(`no onnxruntime profile ${prefix}_*.json was written`)
  return JSON.parse(readFileSync(join(dir, files[files.length - 1]), 'utf8'))
}
