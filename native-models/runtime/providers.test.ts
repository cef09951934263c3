import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadModel, writeFixtureModel } from '../io'
import { availableProviders, providerPlan, softwareVulkanDriver } from './providers'

describe('execution providers', () => {
  it('plans auto as the offered providers best first, then cpu, with reasons for the rest', () => {
    const plan = providerPlan('auto', ['cpu', 'webgpu'])
    expect(plan.order).toEqual(['webgpu', 'cpu'])
    expect(plan.skipped.map((s) => s.provider)).toEqual(['cuda', 'dml', 'coreml'])
    expect(plan.skipped.every((s) => s.reason.length > 0)).toBe(true)
    expect(providerPlan('cpu', ['cpu', 'webgpu']).order).toEqual(['cpu'])
    expect(providerPlan('dml', ['cpu']).skipped).toEqual([
      { provider: 'dml', reason: 'not in this onnxruntime-node build, or not installed' },
    ])
  })

  it('never picks a software WebGPU adapter by itself, but uses one when asked', () => {
    expect(
      softwareVulkanDriver({ VK_ICD_FILENAMES: '/usr/lib/chromium/vk_swiftshader_icd.json' }),
    ).toBe('SwiftShader')
    expect(
      softwareVulkanDriver({ VK_DRIVER_FILES: '/usr/share/vulkan/icd.d/lvp_icd.x86_64.json' }),
    ).toBe('llvmpipe')
    expect(
      softwareVulkanDriver({ VK_ICD_FILENAMES: '/usr/share/vulkan/icd.d/nvidia_icd.json' }),
    ).toBeNull()
    expect(softwareVulkanDriver({})).toBeNull()
    const software = { softwareVulkan: 'SwiftShader' }
    const auto = providerPlan('auto', ['cpu', 'webgpu'], software)
    expect(auto.order).toEqual(['cpu'])
    expect(auto.skipped.find((s) => s.provider === 'webgpu')?.reason).toMatch(
      /software \(SwiftShader\)/,
    )
    expect(providerPlan('webgpu', ['cpu', 'webgpu'], software).order).toEqual(['webgpu', 'cpu'])
  })

  it('counts a provider the package does not bundle only when its library is installed', () => {
    const none = availableProviders(() => false)
    expect(none).toContain('cpu')
    expect(none).not.toContain('cuda')
    expect(none).not.toContain('tensorrt')
    const all = availableProviders(() => true)
    expect(all.length).toBeGreaterThanOrEqual(none.length)
  })

  describe('on this machine', () => {
    let root: string
    beforeAll(async () => {
      root = mkdtempSync(join(tmpdir(), 'glassbox-ep-'))
      await writeFixtureModel(join(root, 'm'), { arch: 'gpt2' })
    })
    afterAll(() => rmSync(root, { recursive: true, force: true }))

    it('auto runs on some provider and keeps a reason for every one it passed over', async () => {
      const model = await loadModel(join(root, 'm'), { cacheDir: join(root, 'cache') })
      const { executionProvider, fallbacks } = model.info
      expect(['cpu', ...availableProviders()]).toContain(executionProvider)
      const tried = new Set([executionProvider, ...fallbacks.map((f) => f.provider)])
      for (const p of ['cuda', 'dml', 'coreml', 'webgpu'])
        expect(tried.has(p) || executionProvider === p).toBe(true)
      for (const f of fallbacks) expect(f.reason).not.toContain('\n')
      const logits = await model.logits([1, 2, 3])
      expect(logits[2].every(Number.isFinite)).toBe(true)
      console.log(
        `auto chose ${executionProvider}; fallbacks: ${fallbacks.map((f) => `${f.provider} (${f.reason.slice(0, 60)})`).join('; ')}`,
      )
      await model.dispose()
    })
  })
})
