// Which execution providers this onnxruntime-node build has, and which of them actually run
// here: each gets a one-node probe graph. Runs in the compute process (it loads onnxruntime).
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import onnxProto from 'onnx-proto'
import * as ort from 'onnxruntime-node'
import type { GpuDevice, HardwareInfo } from '../contract/hardware'
import { softwareVulkanDriver } from '../../native-models/runtime/providers'
import { listGpus } from './gpus'

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

// Every provider Glassbox knows, on every OS: one this build lacks is listed with what it
// needs (DirectML: Windows), so the tab answers "why not" for each of them.
const KNOWN_PROVIDERS = ['cpu', 'cuda', 'tensorrt', 'dml', 'coreml', 'webgpu']

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

type Status = HardwareInfo['providers'][number]
type Adapter = Status['adapter']

/** What a provider needs, for one that this build lacks, in words. */
function notInBuild(name: string): string {
  const needs: Record<string, string> = {
    dml: 'DirectML runs on Windows only',
    coreml: 'CoreML runs on macOS only',
    cuda: 'CUDA is built for Windows and Linux x64',
    tensorrt: 'TensorRT needs NVIDIA TensorRT, which Glassbox does not install',
  }
  return `${needs[name] ?? 'not part of this onnxruntime-node build'}.`
}

/** A failed probe as state and sentence; onnxruntime's message is kept as details. */
export function classifyFailure(
  name: string,
  message: string,
  gpus: GpuDevice[],
): Pick<Status, 'state' | 'reason'> {
  if (
    /providers_(cuda|shared|tensorrt)/.test(message) ||
    /Failed to load (shared )?library/i.test(message)
  ) {
    const nvidia = gpus.some((g) => g.vendor === 'NVIDIA')
    return {
      state: 'not_installed',
      reason: nvidia
        ? 'Its library is a separate download (below); it also needs the NVIDIA driver and CUDA 12.'
        : 'It needs an NVIDIA GPU, and this machine has none.',
    }
  }
  if (name === 'webgpu' || (/adapter/i.test(message) && /webgpu/i.test(message))) {
    return {
      state: 'no_adapter',
      reason:
        'No GPU driver WebGPU can use was found (Vulkan on Linux, Direct3D 12 on Windows, Metal on macOS).',
    }
  }
  return { state: 'failed', reason: `It is installed but failed: ${shortReason(message)}` }
}

/** The adapter a GPU provider runs on: a software Vulkan driver when one is chosen. */
function adapterOf(name: string, gpus: GpuDevice[]): Adapter {
  if (name === 'cpu') return null
  const software = softwareVulkanDriver(process.env)
  if (name === 'webgpu' && software) {
    return { name: software, vendor: 'software Vulkan driver (runs on the CPU)', software: true }
  }
  const wanted =
    name === 'cuda' || name === 'tensorrt' ? gpus.filter((g) => g.vendor === 'NVIDIA') : gpus
  return wanted[0] ? { ...wanted[0], software: false } : null
}

export async function probeHardware(
  inUse: string | null,
  fallbacks: { provider: string; reason: string }[],
  gpus: GpuDevice[] = listGpus(),
): Promise<HardwareInfo> {
  const listed = new Map<string, boolean>()
  const list = (
    ort as unknown as { listSupportedBackends?: () => { name: string; bundled: boolean }[] }
  ).listSupportedBackends
  for (const b of list?.() ?? [{ name: 'cpu', bundled: true }]) listed.set(b.name, b.bundled)
  const names = [...new Set([...KNOWN_PROVIDERS, ...listed.keys()])]
  const bytes = probeModel()
  const providers: HardwareInfo['providers'] = []
  for (const name of names) {
    const base = { name, bundled: listed.get(name) ?? false, details: null }
    if (!listed.has(name)) {
      providers.push({
        ...base,
        works: null,
        state: 'not_in_build',
        reason: notInBuild(name),
        adapter: null,
      })
      continue
    }
    // The loaded model already runs there; a second WebGPU session would crash onnxruntime on
    // Linux/Vulkan (onnxruntime issue 32561).
    if (name === 'webgpu' && inUse === 'webgpu') {
      providers.push({
        ...base,
        works: true,
        state: 'works',
        reason: null,
        adapter: adapterOf(name, gpus),
      })
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
        ...base,
        works: ok,
        state: ok ? 'works' : 'failed',
        reason: ok ? null : 'It ran but gave a wrong result.',
        adapter: ok ? adapterOf(name, gpus) : null,
      })
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err)
      providers.push({
        ...base,
        works: false,
        ...classifyFailure(name, message, gpus),
        details: message.slice(0, 4000),
        adapter: null,
      })
    }
  }
  return {
    platform: `${process.platform}/${process.arch}`,
    providers,
    inUse,
    fallbacks,
    gpus,
    cudaInstallable:
      process.platform === 'linux' &&
      process.arch === 'x64' &&
      gpus.some((g) => g.vendor === 'NVIDIA') &&
      !cudaLibraryPresent(),
  }
}
