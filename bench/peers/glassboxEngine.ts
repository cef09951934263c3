// Glassbox's side of the comparison: the model folder loaded by native-models (onnxruntime-
// node, KV-cache decode graph), driven exactly as llama.cpp is: prefill, then greedy decode
// with an argmax in JS per token (llama.cpp samples in C++, which the timing includes too).
import { basename, dirname, join } from 'node:path'
import { defaultGraphCacheDir } from '../../native-models/io/graphCacheDir'
import { topEntries } from '../../main/services/engine/logitScan'
import type { DecodeBudget, EngineSession } from './engineChild'

interface DecodeSession {
  prefill(ids: number[]): Promise<Float32Array>
  decode(id: number): Promise<Float32Array>
  truncate(length: number): void
  dispose(): Promise<void>
}
interface LoadedModel {
  newSession(): DecodeSession
  dispose(): Promise<void>
}
type LoadModel = (
  dir: string,
  options: {
    quantization: 'none' | 'int8' | 'int4'
    threads: number
    executionProvider: 'cpu'
    accuracyLevel?: 0 | 4
    cacheDir?: string
  },
) => Promise<LoadedModel>

/** quant: f32 | int8 | int4 (f32 activations), or int8-acc4 | int4-acc4 (int8 activations). */
export async function openGlassbox(
  dir: string,
  options: { threads: number; quant: string; contextSize: number },
): Promise<EngineSession> {
  const { loadModel } = (await import('../../native-models/io/loadModel')) as {
    loadModel: LoadModel
  }
  const [format, variant] = options.quant.split('-')
  const model = await loadModel(dir, {
    quantization: format === 'f32' ? 'none' : (format as 'int8' | 'int4'),
    threads: options.threads,
    executionProvider: 'cpu',
    // Its own cache per model, outside the model's folder, so profile.ts finds its graphs.
    cacheDir: benchGraphCache(dir),
    // Explicit both ways: loadModel's default for quantized models is level 4.
    accuracyLevel: variant === 'acc4' ? 4 : 0,
  })
  const session = model.newSession()
  return {
    async prefill(tokens) {
      await session.prefill(tokens)
    },
    async greedy(next, count, budget?: DecodeBudget) {
      const deadline = budget ? performance.now() + budget.seconds * 1000 : Infinity
      let logits = await session.prefill(next)
      const out: number[] = []
      for (let i = 0; i < count; i++) {
        out.push(topEntries(logits, 1)[0])
        if (out.length >= (budget?.minTokens ?? count) && performance.now() > deadline) break
        if (i < count - 1) logits = await session.decode(out[i])
      }
      return out
    },
    async reset() {
      session.truncate(0)
    },
    async dispose() {
      await session.dispose()
      await model.dispose()
    },
  }
}

/** Where the benchmark's graphs for one model folder are cached (profile.ts reads them). */
export function benchGraphCache(dir: string): string {
  return join(dirname(defaultGraphCacheDir()), 'bench-graphs', basename(dir))
}
