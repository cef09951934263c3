import path from 'node:path'
import { defaultDataDir } from '../services/paths'

/** The `--data-dir` option every command that reads the database accepts. */
export const dataDirOption = { 'data-dir': { type: 'string' } } as const

export function resolveDataDir(value: string | undefined): string {
  return path.resolve(value ?? defaultDataDir())
}
