import fs from 'node:fs'
import path from 'node:path'
import type { ScratchSize } from '../../contract/learn'
import { ApiError } from '../../contract/define'
// Not the io index: it also exports the onnxruntime loader, which the main process never maps.
import { writeSafetensors } from '../../../native-models/io/safetensors'
import { initLlamaWeights, llamaConfigJson } from '../../../native-models/training/initWeights'

// Untrained models for the course's training chapters: the shipped model's tokenizer (so a
// sample is made of real word pieces once trained) on fresh random weights, in three sizes
// that differ in width and depth. Trained by the ordinary training runs, which never write
// into their source folder, so each stays untrained and is made once.

interface Shape {
  hiddenSize: number
  layers: number
  heads: number
  intermediateSize: number
}

export const SCRATCH_SHAPES: Record<ScratchSize, Shape> = {
  small: { hiddenSize: 32, layers: 1, heads: 2, intermediateSize: 64 },
  medium: { hiddenSize: 64, layers: 2, heads: 4, intermediateSize: 128 },
  large: { hiddenSize: 128, layers: 4, heads: 4, intermediateSize: 256 },
}

const TOKENIZER_FILES = ['tokenizer.json', 'tokenizer_config.json']

export interface ScratchModel {
  modelDir: string
  parameterCount: number
}

/** Counts what the config describes (tied embeddings: the LM head adds none). */
export function scratchParameterCount(shape: Shape, vocabSize: number): number {
  const h = shape.hiddenSize
  const perLayer = 4 * h * h + 3 * h * shape.intermediateSize + 2 * h
  return vocabSize * h + shape.layers * perLayer + h
}

export function ensureScratchModel(
  dataDir: string,
  tokenizerDir: string | null,
  size: ScratchSize,
): ScratchModel {
  if (!tokenizerDir) {
    throw new ApiError('unavailable', 'The shipped model is missing, so there is no tokenizer.')
  }
  const shape = SCRATCH_SHAPES[size]
  const modelDir = path.join(dataDir, 'learn', `scratch-${size}`)
  const sourceConfig = JSON.parse(
    fs.readFileSync(path.join(tokenizerDir, 'config.json'), 'utf8'),
  ) as { vocab_size: number; bos_token_id?: number; eos_token_id?: number }
  const vocabSize = sourceConfig.vocab_size
  const parameterCount = scratchParameterCount(shape, vocabSize)
  if (fs.existsSync(path.join(modelDir, 'model.safetensors'))) return { modelDir, parameterCount }

  const config = {
    ...llamaConfigJson({
      vocabSize,
      hiddenSize: shape.hiddenSize,
      layers: shape.layers,
      heads: shape.heads,
      kvHeads: shape.heads,
      intermediateSize: shape.intermediateSize,
      contextLength: 256,
      bosTokenId: sourceConfig.bos_token_id ?? 0,
      eosTokenId: sourceConfig.eos_token_id ?? 0,
    }),
    torch_dtype: 'float32',
  }
  const { weights } = initLlamaWeights(config, 1)
  // Written beside, then renamed: a half-made folder is never taken for a model.
  const tmp = `${modelDir}.tmp-${process.pid}`
  fs.rmSync(tmp, { recursive: true, force: true })
  fs.mkdirSync(tmp, { recursive: true })
  for (const file of TOKENIZER_FILES) {
    fs.copyFileSync(path.join(tokenizerDir, file), path.join(tmp, file))
  }
  fs.writeFileSync(path.join(tmp, 'config.json'), JSON.stringify(config, null, 2))
  const tensors = weights.names().map((name) => ({
    name,
    shape: weights.entry(name).shape,
    data: weights.f32(name),
  }))
  writeSafetensors(path.join(tmp, 'model.safetensors'), tensors, 'F32')
  fs.rmSync(modelDir, { recursive: true, force: true })
  fs.renameSync(tmp, modelDir)
  return { modelDir, parameterCount }
}
