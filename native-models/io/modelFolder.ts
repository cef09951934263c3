// Reads and checks a Hugging Face model folder: every problem is one line naming the file.
import { existsSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { parseConfig, type ArchConfig } from '../arch'
import { ModelFormatError, type WeightSource } from '../arch/weights'
import { isGgufPath, readGgufModel } from './ggufModel'
import type { GgufTensorPath } from '../runtime/types'
import { SafetensorsWeights } from './safetensors'

type Json = Record<string, unknown>

/** Weights plus what identifies them for the graph cache (safetensors files or a GGUF). */
export interface FolderWeights extends WeightSource {
  fingerprintParts(): string[]
  samples(): Uint8Array[]
  /** GGUF only: which tensors the graphs built so far took as blocks. */
  report?(): GgufTensorPath[]
}

export interface ModelFolder {
  dir: string
  configJson: Json
  cfg: ArchConfig
  tokenizerJson: Json
  tokenizerConfig: Json
  generationConfig: Json
  weights: FolderWeights
}

function readJson(path: string, required: boolean): Json | undefined {
  if (!existsSync(path)) {
    if (required) throw new ModelFormatError(path, 'is missing')
    return undefined
  }
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Json
  } catch {
    throw new ModelFormatError(path, 'is not valid JSON')
  }
}

/** A Hugging Face model folder, or a .gguf file read as one (io/ggufModel.ts). */
export function readModelFolder(dir: string): ModelFolder {
  if (!existsSync(dir)) throw new ModelFormatError(dir, 'does not exist')
  if (isGgufPath(dir) && statSync(dir).isFile()) return { dir, ...readGgufModel(dir) }
  if (!statSync(dir).isDirectory())
    throw new ModelFormatError(dir, 'is not a model folder (not a folder)')
  if (!existsSync(join(dir, 'config.json')))
    throw new ModelFormatError(dir, 'is not a model folder (no config.json)')
  const configJson = readJson(join(dir, 'config.json'), true)!
  let cfg: ArchConfig
  try {
    cfg = parseConfig(configJson)
  } catch (e) {
    if (e instanceof ModelFormatError)
      throw new ModelFormatError(join(dir, 'config.json'), e.message.replace(/^config\.json: /, ''))
    throw e
  }
  const tokenizerJson = readJson(join(dir, 'tokenizer.json'), true)!
  const tokenizerConfig = readJson(join(dir, 'tokenizer_config.json'), false) ?? {}
  const generationConfig = readJson(join(dir, 'generation_config.json'), false) ?? {}
  const weights = new SafetensorsWeights(dir)
  return { dir, configJson, cfg, tokenizerJson, tokenizerConfig, generationConfig, weights }
}
