import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ApiError } from '../contract/define'
import { acquireDataFolderLock, LOCK_FILE } from './dataFolderLock'
import { createServices } from '.'
import { DATABASE_FILE } from './store'
import { makeTempDir } from './store/testing/tempDir'

let temp: ReturnType<typeof makeTempDir>
let other: ChildProcess

beforeEach(() => {
  temp = makeTempDir()
  // A live process that is not this one, standing in for a first Glassbox.
  other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' })
})

afterEach(() => {
  other.kill('SIGKILL')
  temp.cleanup()
})

function writeLock(dir: string, pid: number, address: string | null): void {
  fs.mkdirSync(dir, { recursive: true })
  const owner = { pid, address, startedAt: new Date().toISOString() }
  fs.writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify(owner))
}

describe('one Glassbox per data folder', () => {
  it('refuses a second instance, naming the first one and its address, and writes nothing', () => {
    const dataDir = path.join(temp.dir, 'data')
    writeLock(dataDir, other.pid!, 'http://127.0.0.1:43117/?token=abc')
    let error: unknown
    try {
      createServices({ dataDir, mode: 'browser' })
    } catch (err) {
      error = err
    }
    expect(error).toBeInstanceOf(ApiError)
    expect((error as ApiError).code).toBe('conflict')
    expect((error as ApiError).message).toContain('http://127.0.0.1:43117/')
    expect((error as ApiError).message).toContain(dataDir)
    expect(fs.existsSync(path.join(dataDir, DATABASE_FILE))).toBe(false)
    expect(JSON.parse(fs.readFileSync(path.join(dataDir, LOCK_FILE), 'utf8')).pid).toBe(other.pid)
  })

  it('lets the command line read beside a running app', () => {
    const dataDir = path.join(temp.dir, 'data')
    writeLock(dataDir, other.pid!, null)
    const cli = createServices({ dataDir, mode: 'cli' })
    expect(cli.store.listSessions().length).toBe(0)
    cli.close()
    expect(fs.existsSync(path.join(dataDir, LOCK_FILE))).toBe(true)
  })

  it('takes over a lock whose process has died, and releases it on close', async () => {
    const dataDir = path.join(temp.dir, 'data')
    const dead = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' })
    await new Promise((resolve) => dead.once('exit', resolve))
    writeLock(dataDir, dead.pid!, 'http://127.0.0.1:1/')
    const services = createServices({ dataDir, mode: 'browser' })
    services.announce('http://127.0.0.1:2/?token=t')
    const owner = JSON.parse(fs.readFileSync(path.join(dataDir, LOCK_FILE), 'utf8'))
    expect(owner).toMatchObject({ pid: process.pid, address: 'http://127.0.0.1:2/?token=t' })
    expect(fs.statSync(path.join(dataDir, LOCK_FILE)).mode & 0o077).toBe(0)
    services.close()
    expect(fs.existsSync(path.join(dataDir, LOCK_FILE))).toBe(false)
  })

  it('gives the folder to one of two processes racing for it', () => {
    const dataDir = path.join(temp.dir, 'race')
    fs.mkdirSync(dataDir)
    const first = acquireDataFolderLock(dataDir, other.pid!)
    expect(() => acquireDataFolderLock(dataDir)).toThrow(/already running/)
    first.release()
    const second = acquireDataFolderLock(dataDir)
    second.release()
  })
})
