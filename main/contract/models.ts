import { z } from 'zod'
import { method } from './define'

export const ModelId = z.number().int().positive()
export const Quantization = z.enum(['none', 'int8', 'int4'])

/** A model folder the person added (or the shipped default), as the registry lists it. */
export const ModelEntry = z.object({
  id: ModelId,
  name: z.string(),
  path: z.string(),
  modelType: z.string(),
  architecture: z.string(),
  /** Bytes of weights on disk (all safetensors files). */
  sizeBytes: z.number().nonnegative(),
  /** The weights' dtype on disk (float32, bfloat16 ...). */
  dtype: z.string(),
  /** How the weights are quantized when loaded (weight-only int8/int4, or none). */
  quantization: Quantization,
  contextLength: z.number().int().positive(),
  hasChatTemplate: z.boolean(),
  isDefault: z.boolean(),
  /** The folder is gone or unreadable since it was added. */
  missing: z.boolean(),
  addedAt: z.number(),
})
export type ModelEntry = z.infer<typeof ModelEntry>

export const ModelsState = z.object({
  models: z.array(ModelEntry),
  selectedId: ModelId.nullable(),
  /** The model in memory in the compute process, if any. */
  loadedId: ModelId.nullable(),
})
export type ModelsState = z.infer<typeof ModelsState>

/** GGUF tensor types the exporter writes (llama.cpp's names). */
export const GgufType = z.enum(['f32', 'f16', 'q8_0', 'q4_0'])
export type GgufType = z.infer<typeof GgufType>

export const GgufExportResult = z.object({
  path: z.string(),
  sizeBytes: z.number().int().nonnegative(),
  tensors: z.number().int().nonnegative(),
  /** general.architecture in the file (llama, qwen2, gpt2). */
  architecture: z.string(),
  type: GgufType,
  seconds: z.number().nonnegative(),
})
export type GgufExportResult = z.infer<typeof GgufExportResult>

export const modelsMethods = {
  /**
   * Registers a Hugging Face model folder (config.json, model.safetensors, tokenizer.json)
   * or a .gguf file.
   */
  'models.add': method(
    z.object({ path: z.string().min(1), quantization: Quantization.optional() }),
    ModelEntry,
  ),
  'models.list': method(z.object({}), ModelsState),
  /**
   * Forgets a model. Its files stay unless both deleteFiles and confirmDeleteFiles are true
   * (the UI asks twice); the shipped default's files are never deleted.
   */
  'models.remove': method(
    z.object({
      id: ModelId,
      deleteFiles: z.boolean().optional(),
      confirmDeleteFiles: z.boolean().optional(),
    }),
    z.object({ removed: z.boolean(), filesDeleted: z.boolean() }),
  ),
  /** The name the lists show (the folder stays where it is). */
  'models.rename': method(
    z.object({ id: ModelId, name: z.string().trim().min(1).max(200) }),
    ModelEntry,
  ),
  /** The model new chats use. */
  'models.select': method(z.object({ id: ModelId }), ModelsState),
  'models.setQuantization': method(
    z.object({ id: ModelId, quantization: Quantization }),
    ModelEntry,
  ),
  /**
   * Writes the model as one GGUF file for llama.cpp, Ollama or LM Studio (in the compute
   * process; progress on models.exportProgress). outPath is absolute, its folder must exist,
   * and an existing file is replaced only with overwrite: true. One export at a time.
   */
  'models.exportGguf': method(
    z.object({
      id: ModelId,
      outPath: z.string().min(1),
      type: GgufType,
      overwrite: z.boolean().optional(),
    }),
    GgufExportResult,
  ),
  /** Stops the running export (its call then fails with "cancelled"; no file is left). */
  'models.cancelExport': method(z.object({}), z.object({ cancelled: z.boolean() })),
}

export const modelsEvents = {
  'models.changed': z.object({ selectedId: ModelId.nullable(), loadedId: ModelId.nullable() }),
  /** Tensors written so far by the running models.exportGguf. */
  'models.exportProgress': z.object({
    id: ModelId,
    done: z.number().int().nonnegative(),
    total: z.number().int().nonnegative(),
  }),
}
