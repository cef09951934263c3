// The engine as the chat service sees it: generate with a registered model. LocalEngine
// runs in the process that owns onnxruntime (the compute child, or a test); computeEngine.ts
// forwards the same calls to the child.
import { ApiError } from '../../contract/define'
import { Generator } from './generator'
import type {
  ChatModel,
  GeneratedToken,
  GenerateRequest,
  GenerationResult,
  PromptInfo,
} from './types'

export interface EngineModelRef {
  id: number
  name: string
  path: string
  quantization: 'none' | 'int8' | 'int4'
}

export type EngineEvent =
  ({ type: 'prompt' } & PromptInfo) | { type: 'token'; token: GeneratedToken }

export interface TextEngine {
  generate(
    model: EngineModelRef,
    req: GenerateRequest,
    onEvent: (event: EngineEvent) => void,
    signal?: AbortSignal,
  ): Promise<GenerationResult>
  /** The registry id of the model in memory, if any. */
  loadedModelId(): number | null
  unload(): Promise<void>
}

export type ModelLoader = (ref: EngineModelRef) => Promise<ChatModel>

const refKey = (ref: EngineModelRef) => `${ref.path}\u0000${ref.quantization}`

/**
 * One model in memory at a time: loaded at its first use, kept warm, and unloaded
 * (its sessions and KV caches disposed) when a chat asks for another one.
 */
export class LocalEngine implements TextEngine {
  private current: { key: string; id: number; generator: Generator } | null = null
  private loading: Promise<Generator> | null = null
  private active = 0

  constructor(private readonly load: ModelLoader) {}

  loadedModelId(): number | null {
    return this.current?.id ?? null
  }

  private async generatorFor(ref: EngineModelRef): Promise<Generator> {
    const key = refKey(ref)
    if (this.current?.key === key) return this.current.generator
    if (this.loading) {
      await this.loading.catch(() => {})
      return this.generatorFor(ref)
    }
    if (this.current && this.active > 0) {
      throw new ApiError(
        'busy',
        'Another chat is generating with a different model; stop it or wait, then try again.',
      )
    }
    this.loading = (async () => {
      await this.unload()
      let model: ChatModel
      try {
        model = await this.load(ref)
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err)
        throw new ApiError('model_error', `Could not load ${ref.name}: ${message}`)
      }
      const generator = new Generator(model)
      this.current = { key, id: ref.id, generator }
      return generator
    })()
    try {
      return await this.loading
    } finally {
      this.loading = null
    }
  }

  async generate(
    ref: EngineModelRef,
    req: GenerateRequest,
    onEvent: (event: EngineEvent) => void,
    signal?: AbortSignal,
  ): Promise<GenerationResult> {
    const generator = await this.generatorFor(ref)
    this.active++
    try {
      return await generator.generate(
        req,
        (token) => onEvent({ type: 'token', token }),
        signal,
        (info) => onEvent({ type: 'prompt', ...info }),
      )
    } finally {
      this.active--
    }
  }

  /**
   * Runs fn with the model for ref loaded (the Inside view reads its insides there), counted
   * as active like a generation so that no switch unloads it meanwhile.
   */
  async use<T>(ref: EngineModelRef, fn: (model: ChatModel) => Promise<T>): Promise<T> {
    const generator = await this.generatorFor(ref)
    this.active++
    try {
      return await fn(generator.model)
    } finally {
      this.active--
    }
  }

  async unload(): Promise<void> {
    const current = this.current
    this.current = null
    if (!current) return
    await current.generator.dispose()
    await current.generator.model.dispose()
  }
}
