// The engine's calls in the compute child: generate (streaming token events), unload,
// hardware. The child owns onnxruntime; one model in memory at a time (LocalEngine).
import type { HardwareInfo } from '../contract/hardware'
import { LocalEngine, type EngineEvent, type EngineModelRef } from '../services/engine/engine'
import { probeHardware } from '../services/engine/hardware'
import { toChatModel } from '../services/engine/modelAdapter'
import type { GenerateRequest, GenerationResult } from '../services/engine/types'
import type { ModelInfo } from '../../native-models/runtime/types'

export interface EngineComputeMethods {
  'engine.generate': {
    input: { model: EngineModelRef; request: GenerateRequest }
    output: GenerationResult
    event: EngineEvent
  }
  'engine.unload': { input: Record<string, never>; output: { unloaded: boolean }; event: never }
  'engine.hardware': { input: Record<string, never>; output: HardwareInfo; event: never }
}

let loadedInfo: ModelInfo | null = null

const engine = new LocalEngine(async (ref) => {
  // Loaded on first use so the child starts fast and a CLI without chat never pays for it.
  const { loadModel } = await import('../../native-models/io')
  const loaded = await loadModel(ref.path, { quantization: ref.quantization })
  loadedInfo = loaded.info
  return toChatModel(ref.name, loaded)
})

type Ctx<E> = { emit(payload: E): void; signal: AbortSignal }

export const engineComputeHandlers = {
  'engine.generate': (
    { model, request }: EngineComputeMethods['engine.generate']['input'],
    ctx: Ctx<EngineEvent>,
  ) => engine.generate(model, request, (event) => ctx.emit(event), ctx.signal),
  'engine.unload': async () => {
    const had = engine.loadedModelId() !== null
    await engine.unload()
    loadedInfo = null
    return { unloaded: had }
  },
  'engine.hardware': () =>
    probeHardware(loadedInfo?.executionProvider ?? null, loadedInfo?.fallbacks ?? []),
}
