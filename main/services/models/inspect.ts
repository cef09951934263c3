// Reads what the Models list shows from a Hugging Face folder without loading the weights.
import fs from 'node:fs'
import path from 'node:path'
import { ApiError } from '../../contract/define'
import { ModelFormatError, parseConfig } from '../../../native-models/arch'
import { checkModelFolder } from '../../../native-models/io/checkModelFolder'
import { chatTemplateProblem } from '../../../native-models/tokenizer/textTokenizer'
import { isGgufPath, readGgufModel } from '../../../native-models/io/ggufModel'

export interface ModelFolderInfo {
  name: string
  modelType: string
  architecture: string
  sizeBytes: number
  dtype: string
  contextLength: number
  hasChatTemplate: boolean
  /** Why a chat template that is there cannot be used (completion mode instead), or null. */
  chatTemplateProblem: string | null
  /** generation_config.json as the folder has it (temperature, top_k, top_p ...). */
  generationConfig: Record<string, unknown> | null
}

function readJson(file: string): Record<string, unknown> | null {
  if (!fs.existsSync(file)) return null
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>
  } catch (err) {
    throw new ApiError('bad_request', `${file} is not valid JSON: ${(err as Error).message}`)
  }
}

/**
 * The context the engine will serve, as native-models parses it (a sliding window caps it),
 * or undefined for a config it cannot parse; the list then shows what the file declares.
 */
function servedContext(config: Record<string, unknown>): number | undefined {
  try {
    return parseConfig(config).contextLength
  } catch {
    return undefined
  }
}

/** Whether the template is usable; a broken one is set aside with its reason, not fatal. */
function templateOf(
  tokenizerConfig: Record<string, unknown>,
  jinjaFile = false,
): { hasChatTemplate: boolean; chatTemplateProblem: string | null } {
  const problem = chatTemplateProblem(tokenizerConfig)
  if (problem) return { hasChatTemplate: false, chatTemplateProblem: problem }
  return {
    hasChatTemplate: Boolean(tokenizerConfig.chat_template) || jinjaFile,
    chatTemplateProblem: null,
  }
}

/** Why a registered folder's chat template is set aside, read again (the registry keeps no text). */
export function chatTemplateProblemOf(dir: string): string | null {
  try {
    if (isGgufPath(dir)) return templateOf(readGgufModel(dir).tokenizerConfig).chatTemplateProblem
    const file = path.join(dir, 'tokenizer_config.json')
    if (!fs.existsSync(file)) return null
    return chatTemplateProblem(JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>)
  } catch {
    return null
  }
}

/** A .gguf file: its header and metadata only (the tensors stay on disk). */
function inspectGguf(file: string): ModelFolderInfo {
  let model: ReturnType<typeof readGgufModel>
  try {
    model = readGgufModel(file)
  } catch (err) {
    if (err instanceof ModelFormatError) throw new ApiError('bad_request', err.message)
    throw err
  }
  return {
    name: path.basename(file),
    modelType: model.cfg.modelType,
    architecture: model.cfg.architecture,
    sizeBytes: fs.statSync(file).size,
    dtype: model.cfg.torchDtype,
    contextLength: model.cfg.contextLength,
    ...templateOf(model.tokenizerConfig),
    generationConfig: null,
  }
}

/** Whether a registered model's files are still there (a folder's config.json, or the GGUF). */
export function modelFilesPresent(dir: string): boolean {
  return isGgufPath(dir) ? fs.existsSync(dir) : fs.existsSync(path.join(dir, 'config.json'))
}

export function inspectModelFolder(dir: string): ModelFolderInfo {
  if (isGgufPath(dir) && fs.existsSync(dir) && fs.statSync(dir).isFile()) return inspectGguf(dir)
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new ApiError('not_found', `${dir} is not a folder.`)
  }
  const config = readJson(path.join(dir, 'config.json'))
  if (!config) {
    throw new ApiError(
      'bad_request',
      `${dir} is not a model folder: it has no config.json (a Hugging Face model folder has config.json, model.safetensors and tokenizer.json).`,
    )
  }
  const weights = fs.readdirSync(dir).filter((f) => f.endsWith('.safetensors'))
  if (weights.length === 0) {
    throw new ApiError('bad_request', `${dir} has no .safetensors weights.`)
  }
  if (!fs.existsSync(path.join(dir, 'tokenizer.json'))) {
    throw new ApiError('bad_request', `${dir} has no tokenizer.json.`)
  }
  // Headers, config values, shapes and the tokenizer, now rather than at the first chat.
  try {
    checkModelFolder(dir)
  } catch (err) {
    if (err instanceof ModelFormatError) throw new ApiError('bad_request', err.message)
    throw err
  }
  const sizeBytes = weights.reduce((s, f) => s + fs.statSync(path.join(dir, f)).size, 0)
  const tokenizerConfig = readJson(path.join(dir, 'tokenizer_config.json'))
  const num = (v: unknown) => (typeof v === 'number' && v > 0 ? v : undefined)
  const declared =
    num(config.max_position_embeddings) ?? num(config.n_positions) ?? num(config.n_ctx) ?? 2048
  const architectures = Array.isArray(config.architectures) ? config.architectures : []
  return {
    name: path.basename(path.resolve(dir)),
    modelType: String(config.model_type ?? 'unknown'),
    architecture: String(architectures[0] ?? config.model_type ?? 'unknown'),
    sizeBytes,
    dtype: String(config.torch_dtype ?? config.dtype ?? 'float32'),
    contextLength: servedContext(config) ?? declared,
    ...templateOf(tokenizerConfig ?? {}, fs.existsSync(path.join(dir, 'chat_template.jinja'))),
    generationConfig: readJson(path.join(dir, 'generation_config.json')),
  }
}
