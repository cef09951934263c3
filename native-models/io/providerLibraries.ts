import { existsSync, readdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

// onnxruntime-node lists CUDA and TensorRT even when their libraries were never installed
// (its install script is skipped offline). Trying them anyway costs time and prints a
// native error on every load, so a provider that is not bundled counts only when its
// shared library is on disk next to the binding.
export function providerLibraryInstalled(provider: string): boolean {
  try {
    const require = createRequire(typeof __filename === 'string' ? __filename : import.meta.url)
    const root = join(dirname(require.resolve('onnxruntime-node/package.json')), 'bin')
    const stem = `onnxruntime_providers_${provider}`
    for (const napi of readdirSync(root)) {
      const dir = join(root, napi, process.platform, process.arch)
      if (!existsSync(dir)) continue
      if (readdirSync(dir).some((f) => f.includes(stem))) return true
    }
    return false
  } catch {
    return false
  }
}
