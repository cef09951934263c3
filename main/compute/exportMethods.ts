// GGUF export in the compute child: converting and quantizing every tensor of a big model
// takes seconds to minutes of JS work, which must not stall the host that answers the UI.
import type { ExportType } from '../../native-models/gguf/ggmlTypes'
import type { ExportProgress, ExportResult } from '../../native-models/io/ggufExport'
import type { ComputeCallContext } from './methods'

export interface ExportComputeMethods {
  'models.exportGguf': {
    input: { modelDir: string; outPath: string; type: ExportType; overwrite: boolean }
    output: ExportResult
    event: ExportProgress
  }
}

type In<M extends keyof ExportComputeMethods> = ExportComputeMethods[M]['input']

export const exportComputeHandlers = () => ({
  'models.exportGguf': async (
    { modelDir, outPath, type, overwrite }: In<'models.exportGguf'>,
    ctx: ComputeCallContext<'models.exportGguf'>,
  ): Promise<ExportResult> => {
    // Loaded on first use, as the engine is: a child that never exports never pays for it.
    const { exportGgufStreaming } = await import('../../native-models/io/ggufExport')
    return exportGgufStreaming(modelDir, outPath, type, {
      overwrite,
      signal: ctx.signal,
      onProgress: (p) => ctx.emit(p),
    })
  },
})
