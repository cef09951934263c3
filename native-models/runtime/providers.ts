// Execution provider choice: auto tries what this onnxruntime build offers, best first,
// and falls back to CPU; every skipped or failed provider keeps its reason.
import {
  createSessionFromFile,
  ort,
  type OrtSession,
  type SessionCreateOptions,
} from '../onnx/session'
import type { ExecutionProviderSetting } from './types'

export interface ProviderChoice {
  session: OrtSession
  provider: string
  fallbacks: { provider: string; reason: string }[]
  /** Said of the provider in use, e.g. that its adapter is software. */
  note: string | null
}

/** What the plan knows of the machine's WebGPU adapter before any session is made. */
export interface AdapterFacts {
  /** A software Vulkan driver is the one set up (SwiftShader, llvmpipe): its name. */
  softwareVulkan: string | null
}

/**
 * The software Vulkan driver the environment selects, if any. onnxruntime-node reports no
 * adapter names, so this reads what the Vulkan loader will load: VK_ICD_FILENAMES or
 * VK_DRIVER_FILES naming SwiftShader's or Mesa's llvmpipe (lavapipe) driver.
 */
export function softwareVulkanDriver(env: Record<string, string | undefined>): string | null {
  const files = [env.VK_ICD_FILENAMES, env.VK_DRIVER_FILES].filter(Boolean).join(':')
  if (/swiftshader/i.test(files)) return 'SwiftShader'
  if (/lvp_icd|lavapipe|llvmpipe/i.test(files)) return 'llvmpipe'
  return null
}

const AUTO_ORDER = ['cuda', 'dml', 'coreml', 'webgpu'] as const

/** `isInstalled` decides for providers the npm package does not bundle (CUDA, TensorRT). */
export function availableProviders(
  isInstalled: (provider: string) => boolean = () => true,
): string[] {
  try {
    return ort
      .listSupportedBackends()
      .filter((b) => b.bundled || isInstalled(b.name))
      .map((b) => b.name)
  } catch {
    return ['cpu']
  }
}

/** Providers to try, in order, with the reasons for those left out. */
export function providerPlan(
  setting: ExecutionProviderSetting,
  available: string[],
  adapter: AdapterFacts = { softwareVulkan: null },
): { order: string[]; skipped: { provider: string; reason: string }[] } {
  const skipped: { provider: string; reason: string }[] = []
  const wanted = setting === 'auto' ? [...AUTO_ORDER] : setting === 'cpu' ? [] : [setting]
  const order: string[] = []
  for (const p of wanted) {
    if (!available.includes(p))
      skipped.push({ provider: p, reason: 'not in this onnxruntime-node build, or not installed' })
    else if (setting === 'auto' && p === 'webgpu' && adapter.softwareVulkan)
      skipped.push({
        provider: p,
        reason: `its only adapter here is software (${adapter.softwareVulkan}), slower than the CPU; choose webgpu to use it anyway`,
      })
    else order.push(p)
  }
  order.push('cpu')
  return { order, skipped }
}

/** The graph for a provider: one path, or one per provider (a GPU form of the graph). */
export type GraphPath = string | ((provider: string) => string)

export async function createWithProvider(
  modelPath: GraphPath,
  setting: ExecutionProviderSetting,
  threads?: number,
  isInstalled?: (provider: string) => boolean,
  adapter?: AdapterFacts,
  extra: Pick<SessionCreateOptions, 'profilePrefix'> = {},
): Promise<ProviderChoice> {
  const { order, skipped } = providerPlan(setting, availableProviders(isInstalled), adapter)
  const fallbacks = [...skipped]
  for (const provider of order) {
    try {
      const path = typeof modelPath === 'string' ? modelPath : modelPath(provider)
      const session = await createSessionFromFile(path, {
        executionProviders: [provider],
        threads,
        ...extra,
      })
      const note =
        provider === 'webgpu' && adapter?.softwareVulkan
          ? `software adapter (${adapter.softwareVulkan} on Vulkan): correct, but slower than the CPU`
          : null
      return { session, provider, fallbacks, note }
    } catch (e) {
      if (provider === 'cpu') throw e
      fallbacks.push({
        provider,
        reason: String((e as Error).message ?? e)
          .split('\n')[0]
          .slice(0, 300),
      })
    }
  }
  throw new Error('no execution provider could load the model')
}
