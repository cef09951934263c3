// Execution provider choice: auto tries what this onnxruntime build offers, best first,
// and falls back to CPU; every skipped or failed provider keeps its reason.
import { createSessionFromFile, ort, type OrtSession } from '../onnx/session'
import type { ExecutionProviderSetting } from './types'

export interface ProviderChoice {
  session: OrtSession
  provider: string
  fallbacks: { provider: string; reason: string }[]
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
): { order: string[]; skipped: { provider: string; reason: string }[] } {
  const skipped: { provider: string; reason: string }[] = []
  const wanted = setting === 'auto' ? [...AUTO_ORDER] : setting === 'cpu' ? [] : [setting]
  const order: string[] = []
  for (const p of wanted) {
    if (available.includes(p)) order.push(p)
    else
      skipped.push({ provider: p, reason: 'not in this onnxruntime-node build, or not installed' })
  }
  order.push('cpu')
  return { order, skipped }
}

export async function createWithProvider(
  modelPath: string,
  setting: ExecutionProviderSetting,
  threads?: number,
  isInstalled?: (provider: string) => boolean,
): Promise<ProviderChoice> {
  const { order, skipped } = providerPlan(setting, availableProviders(isInstalled))
  const fallbacks = [...skipped]
  for (const provider of order) {
    try {
      const session = await createSessionFromFile(modelPath, {
        executionProviders: [provider],
        threads,
      })
      return { session, provider, fallbacks }
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
