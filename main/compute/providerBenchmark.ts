// The Hardware tab's Test: the model decoding on each provider in turn, tokens/s side by side.
// Sessions are made one at a time and released before the next: onnxruntime on Linux/Vulkan
// crashes with two WebGPU sessions open at once (onnxruntime issue 32561).
import type { ProviderSpeed } from '../contract/hardware'
import { topEntries } from '../services/engine/logitScan'
import type { ExecutionProviderSetting, LoadModelOptions } from '../../native-models/runtime/types'

export interface BenchmarkRef {
  path: string
  quantization: NonNullable<LoadModelOptions['quantization']>
}

const PROMPT = 'In the beginning was the word, and the word was'

export async function benchmarkProviders(
  ref: BenchmarkRef,
  providers: string[],
  tokens: number,
): Promise<ProviderSpeed[]> {
  const { loadModel } = await import('../../native-models/io')
  const results: ProviderSpeed[] = []
  for (const provider of providers) {
    try {
      const model = await loadModel(ref.path, {
        quantization: ref.quantization,
        executionProvider: provider as ExecutionProviderSetting,
      })
      try {
        // Asked for one provider, loadModel still falls back to the CPU when it fails.
        if (model.info.executionProvider !== provider) {
          const why = model.info.fallbacks.find((f) => f.provider === provider)?.reason
          results.push({ provider, tokensPerSecond: null, note: null, error: why ?? 'not used' })
          continue
        }
        const session = model.newSession()
        let logits = await session.prefill(model.tokenizer.encode(PROMPT))
        // The first decode step compiles kernels on GPU providers: not counted.
        const greedy = (l: Float32Array) => topEntries(l, 1)[0]
        logits = await session.decode(greedy(logits))
        const started = performance.now()
        for (let i = 0; i < tokens; i++) logits = await session.decode(greedy(logits))
        const seconds = (performance.now() - started) / 1000
        await session.dispose()
        results.push({
          provider,
          tokensPerSecond: tokens / seconds,
          note: model.info.providerNote ?? null,
          error: null,
        })
      } finally {
        await model.dispose()
      }
    } catch (err) {
      results.push({
        provider,
        tokensPerSecond: null,
        note: null,
        error: (err instanceof Error ? err.message : String(err)).split('\n')[0].slice(0, 300),
      })
    }
  }
  return results
}
