// Installs onnxruntime-node's CUDA 12 provider on demand, with its own install script
// (script/install.js reads ONNXRUNTIME_NODE_INSTALL=cuda12 and downloads from NuGet).
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import path from 'node:path'

// CommonJS (the build, tsx) has require; ESM (vitest) builds one from import.meta.url.
const nodeRequire = typeof require === 'function' ? require : createRequire(import.meta.url)

export interface InstallProgress {
  line: string
  done: boolean
  ok: boolean | null
  explanation: string | null
}

const offlinePattern =
  /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|getaddrinfo|fetch failed|network/i

export function explainInstallFailure(output: string, code: number | null): string {
  if (offlinePattern.test(output)) {
    return 'The CUDA provider is downloaded from NuGet (api.nuget.org), which this machine cannot reach: it looks offline. Connect it to the internet and try again, or copy libonnxruntime_providers_*.so into onnxruntime-node/bin/napi-v6/linux/x64/ by hand.'
  }
  return `onnxruntime-node's install script failed (exit code ${code}); its last lines are above.`
}

export function installCudaProvider(onProgress: (p: InstallProgress) => void): Promise<boolean> {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    onProgress({
      line: '',
      done: true,
      ok: false,
      explanation: `onnxruntime-node offers its CUDA provider for Linux x64 only; this is ${process.platform}/${process.arch}.`,
    })
    return Promise.resolve(false)
  }
  const root = path.dirname(nodeRequire.resolve('onnxruntime-node/package.json'))
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(root, 'script', 'install')], {
      cwd: root,
      env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'cuda12' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    const onData = (chunk: Buffer) => {
      const text = chunk.toString()
      output += text
      for (const line of text.split(/\r?\n/)) {
        if (line.trim()) onProgress({ line, done: false, ok: null, explanation: null })
      }
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    child.on('error', (err) => {
      onProgress({ line: err.message, done: true, ok: false, explanation: err.message })
      resolve(false)
    })
    child.on('close', (code) => {
      const ok = code === 0
      onProgress({
        line: ok ? 'The CUDA provider is installed; it is used from the next model load.' : '',
        done: true,
        ok,
        explanation: ok ? null : explainInstallFailure(output, code),
      })
      resolve(ok)
    })
  })
}
