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

/** Where the token and the cache come from. The token itself is never sent to the UI. */
export const HubSettings = z.object({
  endpoint: z.string(),
  /** env: HF_TOKEN; saved: the Models tab; hf-home: huggingface-cli's HF_HOME/token. */
  tokenSource: z.enum(['env', 'saved', 'hf-home', 'none']),
  tokenSaved: z.boolean(),
  /** The saved token is sealed by the OS keychain (Electron's safeStorage). */
  tokenEncrypted: z.boolean(),
  cacheDir: z.string(),
  /** setting: picked in the Models tab; env: HF_HUB_CACHE or HF_HOME; default: ~/.cache. */
  cacheDirSource: z.enum(['setting', 'env', 'default']),
  /** A proxy from HTTPS_PROXY / HTTP_PROXY is in use. */
  proxy: z.boolean(),
})
export type HubSettings = z.infer<typeof HubSettings>

/** A sub-folder in the browser-mode folder picker, and whether it looks like a model. */
export const FolderEntry = z.object({
  name: z.string(),
  path: z.string(),
  /** safetensors: config.json and .safetensors files; gguf: .gguf files; null: neither. */
  model: z.enum(['safetensors', 'gguf']).nullable(),
})
export type FolderEntry = z.infer<typeof FolderEntry>

export const FolderListing = z.object({
  /** The folder listed, as its path resolves (symlinks and .. followed). */
  path: z.string(),
  parent: z.string().nullable(),
  model: FolderEntry.shape.model,
  folders: z.array(FolderEntry),
  /** .gguf files directly in this folder (each can be added alone). */
  ggufFiles: z.array(z.object({ name: z.string(), path: z.string() })),
  /** Where to start: home and the model libraries that exist. */
  places: z.array(
    z.object({ place: z.enum(['home', 'hf-cache', 'lmstudio', 'ollama']), path: z.string() }),
  ),
})
export type FolderListing = z.infer<typeof FolderListing>

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
  'hub.settings': method(z.object({}), HubSettings),
  /** Saves a token (0600 file in the data folder, OS-encrypted under Electron). */
  'hub.saveToken': method(z.object({ token: z.string().min(1).max(1000) }), HubSettings),
  'hub.clearToken': method(z.object({}), HubSettings),
  /** Another hub cache folder (over HF_HUB_CACHE / HF_HOME); null goes back to those. */
  'hub.setCacheDir': method(z.object({ path: z.string().min(1).nullable() }), HubSettings),
  /** Sub-folders of a folder (home when absent), for the browser-mode folder picker. */
  'models.listFolders': method(z.object({ path: z.string().optional() }), FolderListing),
  /** Models in the HF cache, LM Studio's folder and Ollama's store. */
  'models.discover': method(z.object({}), z.array(DiscoveredModel)),
}

export const hubEvents = {
  'hub.downloadProgress': DownloadProgress,
}
