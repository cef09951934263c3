// The engine's calls in the compute child: generate (streaming token events), unload,
// hardware. The child owns onnxruntime; one model in memory at a time (LocalEngine).
import type { HardwareInfo, ProviderSpeed } from '../contract/hardware'
import { benchmarkProviders } from './providerBenchmark'
import { LocalEngine, type EngineEvent, type EngineModelRef } from '../services/engine/engine'
import { embedTexts } from '../services/engine/embed'
import { probeHardware } from './hardware'
import { toChatModel } from '../services/engine/modelAdapter'
import type { GenerateRequest, GenerationResult } from '../services/engine/types'
import type { ChatModel } from '../services/engine/types'
import type { LoadedModel, ModelInfo } from '../../native-models/runtime/types'

export interface EngineComputeMethods {
  'engine.generate': {
    input: { model: EngineModelRef; request: GenerateRequest }
    output: GenerationResult
    event: EngineEvent
  }
  'engine.embed': {
    input: { model: EngineModelRef; texts: string[] }
    output: { vectors: number[][]; tokens: number }
    event: never
  }
  'engine.unload': { input: Record<string, never>; output: { unloaded: boolean }; event: never }
  'engine.hardware': { input: Record<string, never>; output: HardwareInfo; event: never }
  'engine.benchmark': {
    input: { model: EngineModelRef; providers: string[]; tokens: number }
    output: ProviderSpeed[]
    event: never
  }
}

/** The child's one engine and the native model behind it, made once by the child's entry. */
export interface ModelHost {
  engine: LocalEngine
  /** Runs fn with ref's native model, loaded by (and shared with) the engine. */
  withLoadedModel<T>(ref: EngineModelRef, fn: (model: LoadedModel) => Promise<T>): Promise<T>
  /** The loaded model's info (its provider and fallbacks), if one is loaded. */
  loadedInfo(): ModelInfo | null
  forget(): void
}

export function createModelHost(): ModelHost {
  let loadedInfo: ModelInfo | null = null
  // The native model behind each ChatModel, for calls that need more than generation (insides).
  const nativeOf = new WeakMap<ChatModel, LoadedModel>()
  const engine = new LocalEngine(async (ref) => {
    // Loaded on first use so the child starts fast and a CLI without chat never pays for it.
    const { loadModel } = await import('../../native-models/io')
    const loaded = await loadModel(ref.path, { quantization: ref.quantization })
    loadedInfo = loaded.info
    const chatModel = toChatModel(ref.name, loaded)
    nativeOf.set(chatModel, loaded)
    return chatModel
  })
  return {
    engine,
    withLoadedModel: (ref, fn) =>
      engine.use(ref, (chatModel) => {
        const loaded = nativeOf.get(chatModel)
        if (!loaded) throw new Error(`${ref.name} is not a native model.`)
        return fn(loaded)
      }),
    loadedInfo: () => loadedInfo,
    forget: () => {
      loadedInfo = null
    },
  }
}

type Ctx<E> = { emit(payload: E): void; signal: AbortSignal }

export function engineComputeHandlers(host: ModelHost) {
  const { engine } = host
  return {
    'engine.generate': (
      { model, request }: EngineComputeMethods['engine.generate']['input'],
      ctx: Ctx<EngineEvent>,
    ) => engine.generate(model, request, (event) => ctx.emit(event), ctx.signal),
    'engine.embed': ({ model, texts }: EngineComputeMethods['engine.embed']['input']) =>
      host.withLoadedModel(model, (loaded) => embedTexts(loaded, texts)),
    'engine.unload': async () => {
      const had = engine.loadedModelId() !== null
      await engine.unload()
      host.forget()
      return { unloaded: had }
    },
    'engine.hardware': () =>
      probeHardware(
        host.loadedInfo()?.executionProvider ?? null,
        host.loadedInfo()?.fallbacks ?? [],
      ),
    'engine.benchmark': async ({
      model,
      providers,
      tokens,
    }: EngineComputeMethods['engine.benchmark']['input']) => {
      // One model (and one WebGPU session) at a time: the chat model makes room.
      await engine.unload()
      host.forget()
      return benchmarkProviders(model, providers, tokens)
    },
  }
}
