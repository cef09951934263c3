// The WebGPU path, run for real: Debian's chromium ships SwiftShader's Vulkan driver, on which
// onnxruntime-node's bundled WebGPU provider gets an adapter on a CPU-only machine (CI
// installs chromium and libvulkan1). Each architecture and quantization must give CPU's
// logits in prefill, decode and the insides graph, and the same greedy tokens.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadModel, writeFixtureModel } from '../io'
import { readProfile } from '../io/profile'
import { placementFromProfile } from './ortProfile'
import type { FixtureArch, LoadedModel, Quantization } from './types'

const SWIFTSHADER = '/usr/lib/chromium/vk_swiftshader_icd.json'
const VULKAN_LOADERS = [
  '/usr/lib/x86_64-linux-gnu/libvulkan.so.1',
  '/usr/lib/aarch64-linux-gnu/libvulkan.so.1',
]
const missing = !fs.existsSync(SWIFTSHADER)
  ? `${SWIFTSHADER} (apt-get install chromium)`
  : !VULKAN_LOADERS.some((f) => fs.existsSync(f))
    ? 'the Vulkan loader libvulkan.so.1 (apt-get install libvulkan1)'
    : null
if (missing) console.log(`WebGPU suite skipped: this machine lacks ${missing}.`)

// Set before onnxruntime creates its first WebGPU context (each test file is its own process).
process.env.VK_ICD_FILENAMES = SWIFTSHADER
process.env.XDG_RUNTIME_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), 'gb-xdg-'))

const TOLERANCE = 1e-3
const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let d = 0
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]))
  return d
}
const argmax = (row: ArrayLike<number>) => {
  let best = 0
  for (let i = 1; i < row.length; i++) if (row[i] > row[best]) best = i
  return best
}

let root: string
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'gb-webgpu-'))
})
afterAll(() => fs.rmSync(root, { recursive: true, force: true }))

const cases: Array<[FixtureArch, Quantization]> = []
for (const arch of ['gpt2', 'llama', 'qwen2'] as const)
  for (const q of ['none', 'int8', 'int4'] as const) cases.push([arch, q])
// The newer architectures' own nodes (q/k norms, sandwich norms, partial rotary) at f32; the
// quantized products are the same MatMulNBits as above. Software Vulkan is slow: keep it short.
for (const arch of ['qwen3', 'gemma3', 'phi3'] as const) cases.push([arch, 'none'])

describe.skipIf(missing !== null)('WebGPU through SwiftShader equals CPU', () => {
  it('is not what auto picks: a software adapter is slower than the CPU', async () => {
    const dir = path.join(root, 'auto')
    await writeFixtureModel(dir, { arch: 'llama', seed: 3 })
    const model = await loadModel(dir, { cacheDir: path.join(root, 'cache') })
    try {
      expect(model.info.executionProvider).toBe('cpu')
      const webgpu = model.info.fallbacks.find((f) => f.provider === 'webgpu')
      expect(webgpu?.reason).toMatch(/software \(SwiftShader\)/)
    } finally {
      await model.dispose()
    }
  })

  it.each(cases)(
    '%s at quantization %s',
    async (arch, quantization) => {
      const dir = path.join(root, arch)
      if (!fs.existsSync(dir)) await writeFixtureModel(dir, { arch, seed: 3 })
      // Accuracy level 0 (f32 activations) on both: WebGPU's MatMulNBits has no int8 path.
      // One cache type on both: the CPU's default for quantized weights is float16, WebGPU's
      // float32 (io/loadModel.ts).
      const options = {
        quantization,
        accuracyLevel: 0 as const,
        kvCache: 'float32' as const,
        cacheDir: path.join(root, 'cache'),
      }
      const cpu: LoadedModel = await loadModel(dir, { ...options, executionProvider: 'cpu' })
      const profilePrefix = path.join(root, `profile-${arch}-${quantization}`)
      const gpu: LoadedModel = await loadModel(dir, {
        ...options,
        executionProvider: 'webgpu',
        profilePrefix,
      })
      try {
        expect(gpu.info.executionProvider).toBe('webgpu')
        expect(gpu.info.providerNote).toMatch(/^software adapter \(SwiftShader/)
        const ids = cpu.tokenizer.encode('In the beginning the model')
        const [a, b] = [cpu.newSession(), gpu.newSession()]
        let [la, lb] = [await a.prefill(ids), await b.prefill(ids)]
        expect(maxDiff(la, lb)).toBeLessThan(TOLERANCE)
        const tokens: number[][] = [[], []]
        for (let step = 0; step < 6; step++) {
          tokens[0].push(argmax(la))
          tokens[1].push(argmax(lb))
          ;[la, lb] = [await a.decode(tokens[0].at(-1)!), await b.decode(tokens[1].at(-1)!)]
          expect(maxDiff(la, lb)).toBeLessThan(TOLERANCE)
        }
        expect(tokens[1]).toEqual(tokens[0])
        await Promise.all([a.dispose(), b.dispose()])

        const [ia, ib] = [await cpu.insides(ids), await gpu.insides(ids)]
        for (let p = 0; p < ids.length; p++)
          expect(maxDiff(ia.logits[p], ib.logits[p])).toBeLessThan(TOLERANCE)
        for (let l = 0; l < ia.hidden.length; l++)
          expect(maxDiff(ia.hidden[l], ib.hidden[l])).toBeLessThan(TOLERANCE)
        for (let l = 0; l < ia.attentions.length; l++)
          expect(maxDiff(ia.attentions[l], ib.attentions[l])).toBeLessThan(TOLERANCE)
      } finally {
        await Promise.all([cpu.dispose(), gpu.dispose()])
      }
      // The decode graph's products ran on WebGPU, attention's included (its GPU form).
      const placement = placementFromProfile(readProfile(profilePrefix), 'WebGpuExecutionProvider')
      expect(placement.matmulShare).toBeGreaterThanOrEqual(0.95)
      const attention = placement.products.filter((n) => n.name.includes('/attention/'))
      expect(attention.length).toBeGreaterThan(0)
      expect(attention.filter((n) => n.provider !== 'WebGpuExecutionProvider')).toEqual([])
      // SwiftShader emulates the GPU on the CPU: a case takes 10–70 s on a busy 2-core machine.
    },
    240_000,
  )

  it('runs a quantized model with the default cache, which stays float32 there', async () => {
    const dir = path.join(root, 'llama')
    if (!fs.existsSync(dir)) await writeFixtureModel(dir, { arch: 'llama', seed: 3 })
    const cacheDir = path.join(root, 'cache')
    const opts = { quantization: 'int8' as const, accuracyLevel: 0 as const, cacheDir }
    const gpu = await loadModel(dir, { ...opts, executionProvider: 'webgpu' })
    const cpu = await loadModel(dir, { ...opts, executionProvider: 'cpu', kvCache: 'float32' })
    try {
      const ids = cpu.tokenizer.encode('In the beginning the model')
      const [a, b] = [cpu.newSession(), gpu.newSession()]
      await Promise.all([a.prefill(ids), b.prefill(ids)])
      expect(maxDiff(await a.decode(ids[1]), await b.decode(ids[1]))).toBeLessThan(TOLERANCE)
      await Promise.all([a.dispose(), b.dispose()])
    } finally {
      await Promise.all([cpu.dispose(), gpu.dispose()])
    }
  }, 240_000)
})
