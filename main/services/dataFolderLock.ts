// One app per data folder: two instances on one database cancelled each other's answers (the
// second's start marks the first's live answer interrupted) and trained into one folder. The
// lock is a file created exclusively; a lock whose process is gone is taken over.
import fs from 'node:fs'
import path from 'node:path'
import { ApiError } from '../contract/define'

export const LOCK_FILE = 'glassbox.lock'

export interface LockOwner {
  pid: number
  /** Where the owner can be reached (browser mode's URL), once it listens. */
  address: string | null
  startedAt: string
}

export interface DataFolderLock {
  readonly file: string
  /** Records where this instance can be reached, for the message a second one prints. */
  setAddress(address: string): void
  release(): void
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function readOwner(file: string): LockOwner | null {
  try {
    const owner = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<LockOwner>
    return typeof owner.pid === 'number'
      ? { pid: owner.pid, address: owner.address ?? null, startedAt: owner.startedAt ?? '' }
      : null
  } catch {
    return null
  }
}

function inUseMessage(file: string, owner: LockOwner): string {
  const where = owner.address ? ` at ${owner.address}` : ''
  return `Glassbox is already running on the data folder ${path.dirname(file)} (process ${owner.pid})${where}. Use that one, stop it first, or pass --data-dir for another folder. (If no such Glassbox runs, delete ${file}.)`
}

/**
 * Takes the data folder for this process, or throws ApiError('conflict') naming the running
 * owner and its address. A lock left by a process that has died is replaced.
 */
export function acquireDataFolderLock(dataDir: string, pid = process.pid): DataFolderLock {
  const file = path.join(dataDir, LOCK_FILE)
  const owner: LockOwner = { pid, address: null, startedAt: new Date().toISOString() }
  const write = (flag: 'wx' | 'w') =>
    fs.writeFileSync(file, JSON.stringify(owner), { flag, mode: 0o600 })
  for (let attempt = 0; ; attempt++) {
    try {
      write('wx')
      break
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw err
      const current = readOwner(file)
      if (current && current.pid !== pid && isAlive(current.pid)) {
        throw new ApiError('conflict', inUseMessage(file, current))
      }
      // Stale (its process is gone, or the file is unreadable): take it over once.
      fs.rmSync(file, { force: true })
    }
  }
  let released = false
  return {
    file,
    setAddress(address) {
      if (released) return
      owner.address = address
      write('w')
    },
    release() {
      if (released) return
      released = true
      if (readOwner(file)?.pid === pid) fs.rmSync(file, { force: true })
    },
  }
}
