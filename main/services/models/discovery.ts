// Models already on disk, listed where they lie: the Hugging Face cache, LM Studio's models
// folder and Ollama's store. Nothing is copied; each entry says whether it runs here.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { SUPPORTED_MODEL_TYPES } from '../../../native-models/arch/config'
import type { DiscoveredModel } from '../../contract/hub'
import { hubCacheDir, repoFromFolderName } from './hub/hubConfig'

export interface ModelLibraries {
  hfCache: string
  lmStudio: string[]
  ollama: string
}

type Env = Record<string, string | undefined>

export function defaultModelLibraries(
  env: Env = process.env,
  home: string = os.homedir(),
): ModelLibraries {
  return {
    hfCache: hubCacheDir(env),
    lmStudio: [
      path.join(home, '.lmstudio', 'models'),
      path.join(home, '.cache', 'lm-studio', 'models'),
    ],
    ollama: env.OLLAMA_MODELS
      ? path.resolve(env.OLLAMA_MODELS)
      : path.join(home, '.ollama', 'models'),
  }
}

const ggufReason = 'GGUF: runs after GGUF support'

function dirs(dir: string): string[] {
  try {
    return fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort()
  } catch {
    return []
  }
}

function sizeOf(file: string): number {
  try {
    return fs.statSync(file).size
  } catch {
    return 0
  }
}

/**
 * Whether an HF-layout folder runs here and why not, reading only small files. Broken
 * symlinks (a blob deleted from the cache) are named.
 */
export function checkModelFolder(
  dir: string,
): Pick<DiscoveredModel, 'format' | 'sizeBytes' | 'runnable' | 'reason'> {
  let names: string[]
  try {
    names = fs.readdirSync(dir)
  } catch {
    return { format: 'other', sizeBytes: 0, runnable: false, reason: `${dir} cannot be read` }
  }
  const broken = names.filter((n) => !fs.existsSync(path.join(dir, n)))
  const weights = names.filter((n) => n.endsWith('.safetensors'))
  const ggufs = names.filter((n) => n.endsWith('.gguf'))
  const sizeBytes = [...weights, ...ggufs].reduce((s, n) => s + sizeOf(path.join(dir, n)), 0)
  const format = weights.length > 0 ? 'safetensors' : ggufs.length > 0 ? 'gguf' : 'other'
  const no = (reason: string) => ({ format, sizeBytes, runnable: false, reason }) as const
  if (broken.length > 0) {
    return no(
      `${broken.join(', ')} ${broken.length > 1 ? 'are broken links' : 'is a broken link'} (the file it points to is missing)`,
    )
  }
  if (weights.length === 0) {
    if (ggufs.length > 0) return no(ggufReason)
    if (names.some((n) => n.endsWith('.bin')))
      return no('only pickle .bin weights (Glassbox reads safetensors)')
    return no('no .safetensors weights')
  }
  if (!names.includes('config.json')) return no('no config.json')
  if (!names.includes('tokenizer.json')) return no('no tokenizer.json')
  let modelType = ''
  try {
    const cfg = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8')) as {
      model_type?: unknown
    }
    modelType = String(cfg.model_type ?? '')
  } catch (err) {
    return no(`config.json is not valid JSON (${(err as Error).message})`)
  }
  if (!(SUPPORTED_MODEL_TYPES as readonly string[]).includes(modelType)) {
    return no(
      `model_type "${modelType}" is not supported (supported: ${SUPPORTED_MODEL_TYPES.join(', ')})`,
    )
  }
  const index = path.join(dir, 'model.safetensors.index.json')
  if (fs.existsSync(index)) {
    try {
      const map =
        (JSON.parse(fs.readFileSync(index, 'utf8')) as { weight_map?: Record<string, string> })
          .weight_map ?? {}
      const missing = [...new Set(Object.values(map))].filter((f) => !names.includes(f))
      if (missing.length > 0) return no(`the index names missing shards: ${missing.join(', ')}`)
    } catch (err) {
      return no(`model.safetensors.index.json is not valid JSON (${(err as Error).message})`)
    }
  }
  return { format, sizeBytes, runnable: true, reason: '' }
}

/** Every snapshot of every model in the HF cache; refs pointing at a missing snapshot too. */
export function discoverHfCache(cacheDir: string): DiscoveredModel[] {
  const out: DiscoveredModel[] = []
  for (const folder of dirs(cacheDir)) {
    const repo = repoFromFolderName(folder)
    if (!repo) continue
    const repoDir = path.join(cacheDir, folder)
    const snapshots = dirs(path.join(repoDir, 'snapshots'))
    const refsDir = path.join(repoDir, 'refs')
    const refs = fs.existsSync(refsDir)
      ? fs.readdirSync(refsDir).map((r) => ({
          ref: r,
          commit: fs.readFileSync(path.join(refsDir, r), 'utf8').trim(),
        }))
      : []
    for (const r of refs) {
      if (!snapshots.includes(r.commit)) {
        out.push({
          source: 'hf-cache',
          name: repo,
          path: path.join(repoDir, 'snapshots', r.commit),
          format: 'other',
          sizeBytes: 0,
          runnable: false,
          reason: `refs/${r.ref} points at snapshot ${r.commit.slice(0, 7)}, which is missing (an interrupted download or a partly deleted cache)`,
        })
      }
    }
    for (const commit of snapshots) {
      const ref = refs.find((r) => r.commit === commit)
      out.push({
        source: 'hf-cache',
        name: snapshots.length > 1 && !ref ? `${repo}@${commit.slice(0, 7)}` : repo,
        path: path.join(repoDir, 'snapshots', commit),
        ...checkModelFolder(path.join(repoDir, 'snapshots', commit)),
      })
    }
  }
  return out
}

/** LM Studio keeps publisher/model/ folders of GGUF files (and MLX safetensors folders). */
export function discoverLmStudio(root: string): DiscoveredModel[] {
  const out: DiscoveredModel[] = []
  for (const publisher of dirs(root)) {
    for (const model of dirs(path.join(root, publisher))) {
      const dir = path.join(root, publisher, model)
      const files = fs.readdirSync(dir)
      for (const f of files.filter((n) => n.endsWith('.gguf'))) {
        out.push({
          source: 'lmstudio',
          name: `${publisher}/${model}/${f}`,
          path: path.join(dir, f),
          format: 'gguf',
          sizeBytes: sizeOf(path.join(dir, f)),
          runnable: false,
          reason: ggufReason,
        })
      }
      if (files.some((n) => n.endsWith('.safetensors') || n === 'config.json')) {
        out.push({
          source: 'lmstudio',
          name: `${publisher}/${model}`,
          path: dir,
          ...checkModelFolder(dir),
        })
      }
    }
  }
  return out
}

interface OllamaManifest {
  layers?: { mediaType?: string; digest?: string; size?: number }[]
}

/**
 * Ollama's store: manifests/<registry>/<namespace>/<name>/<tag> are JSON (OCI-like) whose
 * application/vnd.ollama.image.model layer is the GGUF, at blobs/sha256-<hex>.
 */
export function discoverOllama(root: string): DiscoveredModel[] {
  const out: DiscoveredModel[] = []
  const manifests = path.join(root, 'manifests')
  for (const registry of dirs(manifests)) {
    for (const namespace of dirs(path.join(manifests, registry))) {
      for (const name of dirs(path.join(manifests, registry, namespace))) {
        const tagDir = path.join(manifests, registry, namespace, name)
        for (const tag of fs.readdirSync(tagDir).sort()) {
          const label =
            registry === 'registry.ollama.ai' && namespace === 'library'
              ? `${name}:${tag}`
              : `${registry === 'registry.ollama.ai' ? '' : `${registry}/`}${namespace}/${name}:${tag}`
          const file = path.join(tagDir, tag)
          const entry = (reason: string, p = file, size = 0): DiscoveredModel => ({
            source: 'ollama',
            name: label,
            path: p,
            format: 'gguf',
            sizeBytes: size,
            runnable: false,
            reason,
          })
          let manifest: OllamaManifest
          try {
            manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as OllamaManifest
          } catch (err) {
            out.push(entry(`its manifest ${file} is not valid JSON (${(err as Error).message})`))
            continue
          }
          const layer = manifest.layers?.find(
            (l) => l.mediaType === 'application/vnd.ollama.image.model',
          )
          if (!layer?.digest) {
            out.push(entry(`its manifest ${file} has no model layer`))
            continue
          }
          const blob = path.join(root, 'blobs', layer.digest.replace(':', '-'))
          if (!fs.existsSync(blob)) {
            out.push(
              entry(`its manifest points at blob ${path.basename(blob)}, which is missing`, blob),
            )
            continue
          }
          out.push(entry(ggufReason, blob, sizeOf(blob)))
        }
      }
    }
  }
  return out
}

export function discoverModels(libs: ModelLibraries): DiscoveredModel[] {
  return [
    ...discoverHfCache(libs.hfCache),
    ...libs.lmStudio.flatMap((r) => discoverLmStudio(r)),
    ...discoverOllama(libs.ollama),
  ]
}
