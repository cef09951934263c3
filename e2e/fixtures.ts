import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { test as base, expect } from '@playwright/test'

/** A browser-mode host on a temporary data folder, started for one test. */
export interface HostFixture {
  url: string
  port: number
  dataDir: string
  /** Stops the host and starts it again on the same data folder (a new port and token). */
  restart(): Promise<void>
  stop(): Promise<void>
}

const ROOT = path.resolve(__dirname, '..')
const SERVE = path.join(ROOT, 'out', 'main', 'serve.js')
const URL_LINE = /Glassbox is running at (http:\/\/127\.0\.0\.1:(\d+)\/\?token=\S+)/

/** Debian chromium's software Vulkan driver: with it WebGPU has an adapter on a CPU-only machine. */
export const SWIFTSHADER = '/usr/lib/chromium/vk_swiftshader_icd.json'

/** Hosts see SwiftShader where it is installed, as the WebGPU unit suite does. */
function vulkanEnv(): Record<string, string> {
  if (!fs.existsSync(SWIFTSHADER)) return {}
  const xdg = process.env.XDG_RUNTIME_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'gb-xdg-'))
  return { VK_ICD_FILENAMES: SWIFTSHADER, XDG_RUNTIME_DIR: xdg }
}

interface Started {
  child: ChildProcess
  url: string
  port: number
}

/** The model folder a host registers as its default: 'none' unless a test asks for one. */
export const SHIPPED_MODEL = path.join(ROOT, 'native-models', 'default')

export function startServe(
  dataDir: string,
  timeoutMs = 30_000,
  defaultModel = process.env.GLASSBOX_DEFAULT_MODEL ?? 'none',
): Promise<Started> {
  if (!fs.existsSync(SERVE)) {
    throw new Error(`${SERVE} is missing: run \`npm run build\` before the e2e tests.`)
  }
  const child = spawn(process.execPath, [SERVE, '--port', '0', '--data-dir', dataDir], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    // The shipped default model stays out unless a test asks for it: tests add their own.
    env: {
      ...process.env,
      ...vulkanEnv(),
      ONNXRUNTIME_NODE_INSTALL: 'skip',
      GLASSBOX_DEFAULT_MODEL: defaultModel,
    },
  })
  let output = ''
  return new Promise<Started>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`The host did not print its URL within ${timeoutMs} ms:\n${output}`))
    }, timeoutMs)
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      const match = URL_LINE.exec(output)
      if (match) {
        clearTimeout(timer)
        resolve({ child, url: match[1], port: Number(match[2]) })
      }
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      process.stderr.write(chunk)
    })
    child.once('exit', (code, signal) => {
      clearTimeout(timer)
      reject(new Error(`The host exited (${signal ?? code}) before it was ready:\n${output}`))
    })
  })
}

export function stopServe(child: ChildProcess, timeoutMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.once('exit', () => {
      clearTimeout(timer)
      resolve()
    })
    child.kill('SIGTERM')
  })
}

// `test.use({ defaultModel: SHIPPED_MODEL })` gives a host with the shipped model, as a fresh
// install has; other tests see only the models they add.
export const test = base.extend<{ host: HostFixture; defaultModel: string }>({
  defaultModel: ['none', { option: true }],
  host: async ({ defaultModel }, use) => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'glassbox-e2e-'))
    let current: Started | null = await startServe(dataDir, undefined, defaultModel)
    const host: HostFixture = {
      url: current.url,
      port: current.port,
      dataDir,
      async stop() {
        if (current) await stopServe(current.child)
        current = null
      },
      async restart() {
        await host.stop()
        current = await startServe(dataDir, undefined, defaultModel)
        host.url = current.url
        host.port = current.port
      },
    }
    await use(host)
    await host.stop()
    fs.rmSync(dataDir, { recursive: true, force: true })
  },
})

export { expect }
