// Node-only entry points of native-models: reading model folders, the graph cache, fixtures.
export { loadModel } from './loadModel'
export { writeFixtureModel } from './fixture'
export { readModelFolder, type ModelFolder } from './modelFolder'
export {
  SafetensorsWeights,
  writeSafetensors,
  writeModelWeights,
  type TensorToWrite,
} from './safetensors'
export { GraphCache, cacheKey, defaultGraphCacheDir, GRAPH_FORMAT_VERSION } from './graphCache'
export type * from '../runtime/types'
