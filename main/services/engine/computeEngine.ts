// TextEngine over the compute child: the same calls as LocalEngine, one IPC message per
// token. Cancelling the signal sends the child a cancel; it stops between two decode steps.
import type { HardwareInfo } from '../../contract/hardware'
import type { ComputeClient } from '../../compute/client'
import type { EngineEvent, EngineModelRef, TextEngine } from './engine'
import type { GenerateRequest, GenerationResult } from './types'

export class ComputeEngine implements TextEngine {
  private loadedId: number | null = null

  constructor(private readonly compute: ComputeClient) {}

  loadedModelId(): number | null {
    return this.loadedId
  }

  async generate(
    model: EngineModelRef,
    request: GenerateRequest,
    onEvent: (event: EngineEvent) => void,
    signal?: AbortSignal,
  ): Promise<GenerationResult> {
    try {
      const result = await this.compute.request(
        'engine.generate',
        { model, request },
        { onEvent, signal },
      )
      // Models outside the registry (training's before-and-after) have no id to report.
      this.loadedId = model.id > 0 ? model.id : null
      return result
    } catch (err) {
      // A crashed child lost its model; a busy or bad request left it as it was.
      if ((err as { code?: string }).code === 'unavailable') this.loadedId = null
      throw err
    }
  }

  async unload(): Promise<void> {
    this.loadedId = null
    await this.compute.request('engine.unload', {})
  }

  hardware(): Promise<HardwareInfo> {
    return this.compute.request('engine.hardware', {})
  }

  async benchmark(model: EngineModelRef, providers: string[], tokens: number) {
    this.loadedId = null
    return this.compute.request('engine.benchmark', { model, providers, tokens })
  }
}
