// Which execution providers this onnxruntime-node build has, and which of them actually run
// here: each gets a one-node probe graph. Runs in the compute process (it loads onnxruntime).
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import onnxProto from 'onnx-proto'
import * as ort from 'onnxruntime-node'
import type { HardwareInfo } from '../contract/hardware'

// CommonJS (the build, tsx) has require; ESM (vitest) builds one from import.meta.url.
const nodeRequire = typeof require === 'function' ? require : createRequire(import.meta.url)

const { onnx } = onnxProto

/** y = x + x over two floats: the smallest graph that makes a provider run a kernel. */
function probeModel(): Uint8Array {
  const value = (name: string) => ({
    name,
    type: { tensorType: { elemType: 1, shape: { dim: [{ dimValue: 2 }] } } },
  })
  const model = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    graph: {
      name: 'probe',
      node: [{ opType: 'Add', input: ['x', 'x'], output: ['y'] }],
      input: [value('x')],
      output: [value('y')],
    },
  })
  return onnx.ModelProto.encode(model).finish()
}

/** onnxruntime's messages run to paragraphs of C++ paths: keep the sentence a person needs. */
export function shortReason(message: string): string {
  const lib = /Failed to load (?:shared )?library ?([^\s:]*)/i.exec(message)
  if (/providers_(cuda|shared|tensorrt)/.test(message) || lib) {
    return 'its provider library is not installed (onnxruntime-node ships CUDA separately)'
  }
  if (/adapter/i.test(message) && /webgpu/i.test(message)) {
    return 'no WebGPU adapter: this machine has no usable GPU driver (Vulkan/Metal/D3D12)'
  }
  const first = message.split('\n')[0]
  return first.length > 200 ? `${first.slice(0, 200)}…` : first
}

const platformProviders: Record<string, string[]> = {
  linux: ['cpu', 'cuda', 'tensorrt', 'webgpu'],
  win32: ['cpu', 'dml', 'cuda', 'webgpu'],
  darwin: ['cpu', 'coreml', 'webgpu'],
}

export function cudaLibraryPresent(): boolean {
  const bin = path.join(
    path.dirname(nodeRequire.resolve('onnxruntime-node/package.json')),
    'bin',
    'napi-v6',
    `${process.platform}`,
    process.arch,
  )
  return fs.existsSync(path.join(bin, 'libonnxruntime_providers_cuda.so'))
}

export async function probeHardware(
  inUse: string | null,
  fallbacks: { provider: string; reason: string }[],
): Promise<HardwareInfo> {
  const listed = new Map<string, boolean>()
  const list = (
    ort as unknown as { listSupportedBackends?: () => { name: string; bundled: boolean }[] }
  ).listSupportedBackends
  for (const b of list?.() ?? [{ name: 'cpu', bundled: true }]) listed.set(b.name, b.bundled)
  const names = [
    ...new Set([...(platformProviders[process.platform] ?? ['cpu']), ...listed.keys()]),
  ]
  const bytes = probeModel()
  const providers: HardwareInfo['providers'] = []
  for (const name of names) {
    if (!listed.has(name)) {
      providers.push({ name, bundled: false, works: null, reason: 'not part of this build' })
      continue
    }
    try {
      const session = await ort.InferenceSession.create(bytes, { executionProviders: [name] })
      const out = await session.run({
        x: new ort.Tensor('float32', Float32Array.from([1, 2]), [2]),
      })
      await session.release()
      const y = out.y.data as Float32Array
      const ok = y[0] === 2 && y[1] === 4
      providers.push({
        name,
        bundled: listed.get(name)!,
        works: ok,
        reason: ok ? null : 'wrong result',
      })
    } catch (err) {
      providers.push({
        name,
        bundled: listed.get(name)!,
        works: false,
        reason: shortReason(err instanceof Error ? err.message : String(err)),
      })
    }
  }
  return {
    platform: `${process.platform}/${process.arch}`,
    providers,
    inUse,
    fallbacks,
    cudaInstallable:
      process.platform === 'linux' && process.arch === 'x64' && !cudaLibraryPresent(),
  }
}
