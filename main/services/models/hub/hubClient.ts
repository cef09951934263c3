// Search, model info and file lists from the hub through @huggingface/hub, and the plan that
// says, before any download, what would be fetched and whether Glassbox runs it.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { listFiles, listModels, modelInfo } from '@huggingface/hub'
import { SUPPORTED_MODEL_TYPES } from '../../../../native-models/arch/config'
import { ApiError } from '../../../contract/define'
import type { DownloadPlan, HubModel } from '../../../contract/hub'
import { type HubConfig, repoFolderName } from './hubConfig'
import { hubFetch } from './hubFetch'

export async function searchModels(
  cfg: HubConfig,
  query: string,
  limit = 20,
  signal?: AbortSignal,
): Promise<HubModel[]> {
  const out: HubModel[] = []
  for await (const m of listModels({
    search: { query, task: 'text-generation' },
    sort: 'downloads',
    limit,
    hubUrl: cfg.endpoint,
    fetch: hubFetch(cfg, undefined, undefined, signal),
  })) {
    out.push({
      repo: m.name,
      downloads: m.downloads ?? 0,
      likes: m.likes ?? 0,
      gated: Boolean(m.gated),
      updatedAt: m.updatedAt.toISOString(),
    })
  }
  return out
}

export interface RepoFile {
  path: string
  size: number
  /** The LFS object's SHA-256 (what its blob is named by); null for a plain git file. */
  sha256: string | null
  /** The git blob id (a plain file's blob name and ETag). */
  gitOid: string
}

export interface RepoInfo {
  repo: string
  commit: string
  gated: boolean
  license: string | null
  modelType: string | null
  parameters: number | null
  files: RepoFile[]
}

export async function repoInfo(
  cfg: HubConfig,
  repo: string,
  revision = 'main',
  signal?: AbortSignal,
): Promise<RepoInfo> {
  const f = hubFetch(cfg, repo, undefined, signal)
  const info = await modelInfo({
    name: repo,
    revision,
    hubUrl: cfg.endpoint,
    fetch: f,
    additionalFields: ['sha', 'config', 'cardData', 'safetensors'],
  })
  // The tree at the resolved commit, so every file comes from one revision.
  const files: RepoFile[] = []
  for await (const e of listFiles({
    repo: { type: 'model', name: repo },
    revision: info.sha,
    recursive: true,
    hubUrl: cfg.endpoint,
    fetch: f,
  })) {
    if (e.type !== 'file') continue
    files.push({ path: e.path, size: e.size, sha256: e.lfs?.oid ?? null, gitOid: e.oid ?? '' })
  }
  const card = info.cardData as { license?: unknown } | undefined
  const config = info.config as { model_type?: unknown } | undefined
  const st = info.safetensors as { total?: unknown } | undefined
  return {
    repo,
    commit: info.sha,
    gated: Boolean(info.gated),
    license: typeof card?.license === 'string' ? card.license : null,
    modelType: typeof config?.model_type === 'string' ? config.model_type : null,
    parameters: typeof st?.total === 'number' ? st.total : null,
    files,
  }
}

const neededNames = new Set([
  'config.json',
  'generation_config.json',
  'tokenizer.json',
  'tokenizer_config.json',
  'special_tokens_map.json',
  'chat_template.jinja',
  'model.safetensors.index.json',
])

/** Only what a model needs to run: config, tokenizer, template and safetensors weights. */
export function neededFiles(files: RepoFile[]): RepoFile[] {
  return files.filter(
    (f) =>
      !f.path.includes('/') &&
      (neededNames.has(f.path) || /^model(-\d+-of-\d+)?\.safetensors$/.test(f.path)),
  )
}

/** Free bytes where the cache lives (its nearest existing parent), or null if unknown. */
export function freeDiskBytes(dir: string): number | null {
  let d = path.resolve(dir)
  while (!fs.existsSync(d) && path.dirname(d) !== d) d = path.dirname(d)
  try {
    const s = fs.statfsSync(d)
    return s.bavail * s.bsize
  } catch {
    return null
  }
}

/** Bytes of a file already complete in the cache's blobs. */
function cachedSize(cfg: HubConfig, repo: string, f: RepoFile): number {
  const blob = path.join(cfg.cacheDir, repoFolderName(repo), 'blobs', f.sha256 ?? f.gitOid)
  try {
    return fs.statSync(blob).size === f.size ? f.size : 0
  } catch {
    return 0
  }
}

export function planDownload(
  cfg: HubConfig,
  info: RepoInfo,
  revision: string,
  machine: { totalMemory: number; freeDisk: number | null } = {
    totalMemory: os.totalmem(),
    freeDisk: freeDiskBytes(cfg.cacheDir),
  },
): DownloadPlan {
  const files = neededFiles(info.files)
  const reasons: string[] = []
  const warnings: string[] = []
  const names = info.files.map((f) => f.path)
  const weights = files.filter((f) => f.path.endsWith('.safetensors'))
  if (weights.length === 0) {
    if (names.some((n) => n.endsWith('.bin') || n.endsWith('.pt') || n.endsWith('.pth'))) {
      reasons.push(
        'it has only PyTorch pickle weights (.bin); Glassbox reads safetensors and never unpickles',
      )
    } else if (names.some((n) => n.endsWith('.gguf'))) {
      reasons.push('it has only GGUF files: they run after GGUF support')
    } else reasons.push('it has no model*.safetensors weights')
  }
  if (!names.includes('config.json')) reasons.push('it has no config.json')
  if (!names.includes('tokenizer.json')) reasons.push('it has no tokenizer.json')
  const supported = SUPPORTED_MODEL_TYPES as readonly string[]
  if (info.modelType !== null && !supported.includes(info.modelType)) {
    reasons.push(
      `model_type "${info.modelType}" is not supported (supported: ${supported.join(', ')})`,
    )
  }
  const totalBytes = files.reduce((s, f) => s + f.size, 0)
  const cachedBytes = files.reduce((s, f) => s + cachedSize(cfg, info.repo, f), 0)
  const weightBytes = weights.reduce((s, f) => s + f.size, 0)
  // safetensors.total when the hub has it; else from the bytes, at 2 bytes a parameter
  // (bf16/f16, how nearly every hub model is stored).
  const parameters = info.parameters ?? (weightBytes > 0 ? Math.round(weightBytes / 2) : null)
  const p = parameters ?? 0
  const memoryBytes = { f32: p * 4, int8: p * 1, int4: p * 0.5 }
  const gib = (b: number) => `${(b / 2 ** 30).toFixed(1)} GiB`
  if (memoryBytes.f32 > machine.totalMemory * 0.8) {
    const fits = memoryBytes.int8 <= machine.totalMemory * 0.8 ? 'int8' : null
    warnings.push(
      `it needs about ${gib(memoryBytes.f32)} of memory at f32 and this machine has ${gib(machine.totalMemory)}` +
        (fits ? '; load it with int8 or int4 quantization' : '; it may not load even quantized'),
    )
  }
  const needed = totalBytes - cachedBytes
  if (machine.freeDisk !== null && needed > machine.freeDisk) {
    reasons.push(`it needs ${gib(needed)} of disk and ${gib(machine.freeDisk)} is free`)
  }
  return {
    repo: info.repo,
    revision,
    commit: info.commit,
    modelType: info.modelType,
    license: info.license,
    gated: info.gated,
    parameters,
    files: files.map((f) => ({ path: f.path, size: f.size, sha256: f.sha256 })),
    totalBytes,
    cachedBytes,
    freeDiskBytes: machine.freeDisk,
    memoryBytes,
    totalMemoryBytes: machine.totalMemory,
    runnable: reasons.length === 0,
    reasons,
    warnings,
  }
}

/** Throws the plan's reasons as one sentence when the model cannot run here. */
export function assertRunnable(plan: DownloadPlan): void {
  if (!plan.runnable) {
    throw new ApiError(
      'unsupported',
      `${plan.repo} cannot run in Glassbox: ${plan.reasons.join('; ')}. Nothing was downloaded.`,
    )
  }
}
