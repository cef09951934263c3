import { z } from 'zod'
import { method } from './define'

/** One search hit on the Hugging Face hub. */
export const HubModel = z.object({
  repo: z.string(),
  downloads: z.number().nonnegative(),
  likes: z.number().nonnegative(),
  gated: z.boolean(),
  updatedAt: z.string(),
})
export type HubModel = z.infer<typeof HubModel>

export const MemoryEstimate = z.object({
  f32: z.number().nonnegative(),
  int8: z.number().nonnegative(),
  int4: z.number().nonnegative(),
})

/** What a download would fetch and whether the model runs here, decided before any byte. */
export const DownloadPlan = z.object({
  repo: z.string(),
  revision: z.string(),
  commit: z.string(),
  modelType: z.string().nullable(),
  license: z.string().nullable(),
  gated: z.boolean(),
  parameters: z.number().nonnegative().nullable(),
  files: z.array(
    z.object({ path: z.string(), size: z.number().nonnegative(), sha256: z.string().nullable() }),
  ),
  totalBytes: z.number().nonnegative(),
  /** Bytes already complete in the cache (earlier or interrupted downloads). */
  cachedBytes: z.number().nonnegative(),
  freeDiskBytes: z.number().nonnegative().nullable(),
  memoryBytes: MemoryEstimate,
  totalMemoryBytes: z.number().nonnegative(),
  /** False: the reasons say why; nothing will be downloaded. */
  runnable: z.boolean(),
  reasons: z.array(z.string()),
  /** Runs, but with a caveat (memory, disk). */
  warnings: z.array(z.string()),
})
export type DownloadPlan = z.infer<typeof DownloadPlan>

export const DownloadState = z.enum(['running', 'paused', 'failed', 'done'])

export const DownloadProgress = z.object({
  repo: z.string(),
  revision: z.string(),
  state: DownloadState,
  doneBytes: z.number().nonnegative(),
  totalBytes: z.number().nonnegative(),
  bytesPerSecond: z.number().nonnegative(),
  /** Null until a rate is known. */
  etaSeconds: z.number().nonnegative().nullable(),
  files: z.array(
    z.object({
      path: z.string(),
      doneBytes: z.number().nonnegative(),
      totalBytes: z.number().nonnegative(),
    }),
  ),
  error: z.string().nullable(),
  /** The registered model once state is done. */
  modelId: z.number().int().positive().nullable(),
})
export type DownloadProgress = z.infer<typeof DownloadProgress>

export const DiscoveredSource = z.enum(['hf-cache', 'lmstudio', 'ollama'])

/** A model found on disk, listed where it lies (never copied). */
export const DiscoveredModel = z.object({
  source: DiscoveredSource,
  /** org/name for the HF cache, name:tag for Ollama, the folder or file name for LM Studio. */
  name: z.string(),
  path: z.string(),
  format: z.enum(['safetensors', 'gguf', 'other']),
  sizeBytes: z.number().nonnegative(),
  runnable: z.boolean(),
  /** Why it does not run here (empty when runnable). */
  reason: z.string(),
})
export type DiscoveredModel = z.infer<typeof DiscoveredModel>

const RepoRef = z.object({ repo: z.string().min(1), revision: z.string().min(1).optional() })

export const hubMethods = {
  'hub.search': method(
    z.object({ query: z.string(), limit: z.number().int().positive().max(100).optional() }),
    z.array(HubModel),
  ),
  /** Size, files and "runs here" of a repo, before downloading. */
  'hub.plan': method(RepoRef, DownloadPlan),
  /** Starts or resumes a download; progress on hub.downloadProgress. */
  'hub.download': method(RepoRef, DownloadProgress),
  /** Stops a download and keeps its partial files, so hub.download resumes it. */
  'hub.pause': method(RepoRef, z.object({ paused: z.boolean() })),
  /** Stops a download and deletes its partial files. */
  'hub.cancel': method(RepoRef, z.object({ cancelled: z.boolean() })),
  'hub.downloads': method(z.object({}), z.array(DownloadProgress)),
  /** Models in the HF cache, LM Studio's folder and Ollama's store. */
  'models.discover': method(z.object({}), z.array(DiscoveredModel)),
}

export const hubEvents = {
  'hub.downloadProgress': DownloadProgress,
}
