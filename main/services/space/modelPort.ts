/**
 * Models for the space, loaded with native-models' loadModel and kept per folder: in the
 * compute child for the app (main/compute/spaceMethods.ts), in process for the CLI and tests.
 * `currentDir` is the folder of the model chosen for chat.
 */
import type { LoadedModel } from '../../../native-models/runtime/types'
import { NoModelError, type SpaceModelPort } from './spaceService'

export function inProcessModelPort(
  currentDir: () => string | null = () => null,
  graphCacheDir?: string,
): SpaceModelPort & {
  dispose(): Promise<void>
} {
  const models = new Map<string, Promise<LoadedModel>>()
  return {
    get(modelDir) {
      const dir = modelDir ?? currentDir()
      if (!dir) return Promise.reject(new NoModelError())
      let model = models.get(dir)
      if (!model) {
        // Imported on first use: onnxruntime loads only when someone opens a model.
        model = import('../../../native-models/io').then((io) =>
          io.loadModel(dir, { cacheDir: graphCacheDir }),
        )
        models.set(dir, model)
        model.catch(() => models.delete(dir))
      }
      return model
    },
    async dispose() {
      const all = [...models.values()]
      models.clear()
      await Promise.all(all.map(async (m) => (await m).dispose().catch(() => {})))
    },
  }
}
