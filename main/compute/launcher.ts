import { fork } from 'node:child_process'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { ChildMessage, ParentMessage } from './protocol'

/** A started compute child, whichever way it was started. */
export interface ComputeProcess {
  readonly pid: number | undefined
  send(message: ParentMessage): void
  onMessage(listener: (message: unknown) => void): void
  onExit(listener: (code: number | null, signal: string | null) => void): void
  kill(): void
}

/** Starts a compute child: child_process.fork under Node, utilityProcess in Electron. */
export type ComputeLauncher = () => ComputeProcess

export interface ComputeEntry {
  entry: string
  execArgv: string[]
}

/**
 * Where a child's code is. Built: out/main/<name>.js beside the bundle that imports this.
 * From source (tsx: the CLI, vitest): main/compute/<source> run through tsx's loader.
 */
export function childEntry(name: string, source: string): ComputeEntry {
  if (!__filename.endsWith('.ts')) {
    // This code may sit in out/main or in a shared chunk under out/main/chunks.
    const candidates = [
      path.join(__dirname, `${name}.js`),
      path.join(__dirname, '..', `${name}.js`),
    ]
    const built = candidates.find((file) => fs.existsSync(file))
    if (!built) throw new Error(`The ${name} child is not built: ${candidates[0]} is missing.`)
    return { entry: built, execArgv: [] }
  }
  const file = path.join(__dirname, source)
  if (!fs.existsSync(file)) throw new Error(`The ${name} child's source is missing: ${file}`)
  return {
    entry: file,
    execArgv: ['--import', pathToFileURL(createRequire(__filename).resolve('tsx')).href],
  }
}

export const defaultComputeEntry = (): ComputeEntry => childEntry('compute', 'child.ts')

/** The child's environment: this one's, plus where built graphs go (child.ts reads it). */
export function computeEnv(opts: { graphCacheDir?: string }): NodeJS.ProcessEnv {
  const env = { ...process.env }
  if (opts.graphCacheDir) env.GLASSBOX_GRAPH_CACHE = opts.graphCacheDir
  return env
}

export function forkLauncher(
  entry: ComputeEntry = defaultComputeEntry(),
  opts: { graphCacheDir?: string } = {},
): ComputeLauncher {
  return () => {
    const child = fork(entry.entry, [], {
      env: computeEnv(opts),
      execArgv: entry.execArgv,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'advanced',
    })
    return {
      get pid() {
        return child.pid
      },
      send: (message) => {
        if (child.connected) child.send(message)
      },
      onMessage: (listener) => child.on('message', listener),
      onExit: (listener) => child.on('exit', (code, signal) => listener(code, signal)),
      kill: () => {
        child.kill()
      },
    }
  }
}

export type { ChildMessage }
