// models.exportGguf: checks what the person asked for here, where a wrong path can get a
// clear answer at once, then runs the export where the heavy work belongs (the compute
// child, by default) and relays its progress to the UI.
import fs from 'node:fs'
import path from 'node:path'
import type { ComputeClient } from '../../compute/client'
import { ApiError } from '../../contract/define'
import type { GgufExportResult, GgufType } from '../../contract/models'
import { ggufArchitecture } from '../../../native-models/gguf/hfToGguf'
import type { EventBus } from '../eventBus'
import type { ModelRegistry } from './registry'

export interface GgufExportJob {
  modelDir: string
  outPath: string
  type: GgufType
  overwrite: boolean
}

/** Runs one export; reports tensors written. The app's runner is the compute child. */
export type GgufExportRunner = (
  job: GgufExportJob,
  onProgress: (done: number, total: number) => void,
  signal: AbortSignal,
) => Promise<{ path: string; bytes: number; tensors: number; seconds: number }>

/** The app's runner: converting every tensor is JS work for the compute child, not the host. */
export const computeExportRunner =
  (compute: ComputeClient): GgufExportRunner =>
  (job, onProgress, signal) =>
    compute.request('models.exportGguf', job, {
      onEvent: (p) => onProgress(p.done, p.total),
      signal,
    })

export interface GgufExportRequest {
  id: number
  outPath: string
  type: GgufType
  overwrite?: boolean
}

function readConfig(modelDir: string): Record<string, unknown> {
  try {
    return JSON.parse(fs.readFileSync(path.join(modelDir, 'config.json'), 'utf8')) as Record<
      string,
      unknown
    >
  } catch (error) {
    throw new ApiError('not_found', `Cannot read ${modelDir}/config.json: ${String(error)}`)
  }
}

/** The architecture the file will declare, or an ApiError that says what is wrong. */
export function checkExportTarget(modelDir: string, outPath: string, overwrite: boolean): string {
  if (!path.isAbsolute(outPath)) {
    throw new ApiError('bad_request', `Give the output file as an absolute path, not ${outPath}.`)
  }
  if (!outPath.toLowerCase().endsWith('.gguf')) {
    throw new ApiError('bad_request', `The output file should end in .gguf: ${outPath}.`)
  }
  const folder = path.dirname(outPath)
  if (!fs.existsSync(folder) || !fs.statSync(folder).isDirectory()) {
    throw new ApiError('not_found', `The folder ${folder} does not exist.`)
  }
  if (fs.existsSync(outPath)) {
    if (fs.statSync(outPath).isDirectory()) {
      throw new ApiError('conflict', `${outPath} is a folder.`)
    }
    if (!overwrite) {
      throw new ApiError('needs_confirmation', `${outPath} already exists; choose to replace it.`)
    }
  }
  try {
    return ggufArchitecture(readConfig(modelDir))
  } catch (error) {
    if (error instanceof ApiError) throw error
    throw new ApiError('unsupported', (error as Error).message)
  }
}

export class GgufExporter {
  private running: { id: number; controller: AbortController } | null = null

  constructor(
    private readonly registry: ModelRegistry,
    private readonly bus: EventBus,
    private readonly runner: GgufExportRunner,
  ) {}

  async export(request: GgufExportRequest): Promise<GgufExportResult> {
    const model = this.registry.get(request.id)
    if (this.running !== null) {
      throw new ApiError(
        'busy',
        `Model ${this.running.id} is being exported; wait for it or cancel it.`,
      )
    }
    const overwrite = request.overwrite ?? false
    const architecture = checkExportTarget(model.path, request.outPath, overwrite)
    const controller = new AbortController()
    this.running = { id: model.id, controller }
    try {
      const result = await this.runner(
        { modelDir: model.path, outPath: request.outPath, type: request.type, overwrite },
        (done, total) => this.bus.emit('models.exportProgress', { id: model.id, done, total }),
        controller.signal,
      )
      return {
        path: result.path,
        sizeBytes: result.bytes,
        tensors: result.tensors,
        architecture,
        type: request.type,
        seconds: result.seconds,
      }
    } catch (error) {
      if (controller.signal.aborted) throw new ApiError('conflict', 'The export was cancelled.')
      if (error instanceof ApiError) throw error
      throw new ApiError('model_error', `GGUF export failed: ${(error as Error).message}`)
    } finally {
      this.running = null
    }
  }

  /** Stops the running export between two tensors; its partial file is removed. */
  cancel(): { cancelled: boolean } {
    if (!this.running) return { cancelled: false }
    this.running.controller.abort()
    return { cancelled: true }
  }
}
