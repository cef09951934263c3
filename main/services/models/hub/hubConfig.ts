// Where the hub is, who the user is on it and where its files go, read the way
// huggingface_hub reads them (constants.py), so Python tools and Glassbox share one cache.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { ApiError } from '../../../contract/define'

export interface HubConfig {
  /** HF_ENDPOINT, for mirrors; https://huggingface.co by default. */
  endpoint: string
  /** HF_TOKEN, else the token huggingface-cli saved in HF_HOME/token. Never logged. */
  token?: string
  /** The hub cache: models--org--name/{blobs,snapshots,refs}. */
  cacheDir: string
  /** HTTPS_PROXY / HTTP_PROXY / NO_PROXY, which Node's own fetch ignores. */
  proxy?: ProxyEnv
}

export interface ProxyEnv {
  httpProxy?: string
  httpsProxy?: string
  noProxy?: string
}

/** Where the token in use comes from, in the order they are tried. */
export type TokenSource = 'env' | 'saved' | 'hf-home' | 'none'
export type CacheDirSource = 'setting' | 'env' | 'default'

/** The settings-table key of the cache folder picked in the Models tab. */
export const CACHE_DIR_SETTING = 'hub.cacheDir'

/** What the person saved in the app, over what the environment says. */
export interface SavedHubSettings {
  /** The token saved in the Models tab (read lazily: it may need decrypting). */
  token?: () => string | undefined
  /** The hub cache folder picked in the Models tab. */
  cacheDir?: string | null
}

export interface ResolvedHubConfig {
  config: HubConfig
  tokenSource: TokenSource
  cacheDirSource: CacheDirSource
}

type Env = Record<string, string | undefined>

export function hfHome(env: Env = process.env): string {
  if (env.HF_HOME) return path.resolve(env.HF_HOME)
  const xdg = env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache')
  return path.join(xdg, 'huggingface')
}

/** HF_HUB_CACHE, else HF_HOME/hub, else ~/.cache/huggingface/hub. */
export function hubCacheDir(env: Env = process.env): string {
  if (env.HF_HUB_CACHE) return path.resolve(env.HF_HUB_CACHE)
  if (env.HUGGINGFACE_HUB_CACHE) return path.resolve(env.HUGGINGFACE_HUB_CACHE)
  return path.join(hfHome(env), 'hub')
}

/** Lower-case names win, as curl and huggingface_hub's requests read them. */
export function proxyFromEnv(env: Env = process.env): ProxyEnv | undefined {
  const httpProxy = env.http_proxy || env.HTTP_PROXY || undefined
  const httpsProxy = env.https_proxy || env.HTTPS_PROXY || undefined
  const noProxy = env.no_proxy || env.NO_PROXY || undefined
  return httpProxy || httpsProxy ? { httpProxy, httpsProxy, noProxy } : undefined
}

/** HF_TOKEN first, then the token saved in the app, then huggingface-cli's HF_HOME/token. */
export function resolveHubConfig(
  env: Env = process.env,
  saved: SavedHubSettings = {},
): ResolvedHubConfig {
  let token = env.HF_TOKEN || env.HUGGING_FACE_HUB_TOKEN || undefined
  let tokenSource: TokenSource = token ? 'env' : 'none'
  if (!token) {
    token = saved.token?.()
    if (token) tokenSource = 'saved'
  }
  if (!token) {
    // huggingface_hub's constants.HF_TOKEN_PATH: HF_TOKEN_PATH, else HF_HOME/token.
    const file = env.HF_TOKEN_PATH
      ? path.resolve(env.HF_TOKEN_PATH)
      : path.join(hfHome(env), 'token')
    if (fs.existsSync(file)) token = fs.readFileSync(file, 'utf8').trim() || undefined
    if (token) tokenSource = 'hf-home'
  }
  const cacheDirSource: CacheDirSource = saved.cacheDir
    ? 'setting'
    : env.HF_HUB_CACHE || env.HUGGINGFACE_HUB_CACHE || env.HF_HOME
      ? 'env'
      : 'default'
  return {
    config: {
      endpoint: (env.HF_ENDPOINT || 'https://huggingface.co').replace(/\/+$/, ''),
      token,
      cacheDir: saved.cacheDir ? path.resolve(saved.cacheDir) : hubCacheDir(env),
      proxy: proxyFromEnv(env),
    },
    tokenSource,
    cacheDirSource,
  }
}

export function hubConfigFromEnv(
  env: Env = process.env,
  overrides: Partial<HubConfig> = {},
): HubConfig {
  return { ...resolveHubConfig(env).config, ...overrides }
}

/** models--org--name, as huggingface_hub's repo_folder_name writes it. */
export function repoFolderName(repo: string): string {
  return ['models', ...repo.split('/')].join('--')
}

export function repoFromFolderName(folder: string): string | null {
  if (!folder.startsWith('models--')) return null
  return folder.slice('models--'.length).split('--').join('/')
}

/** A repo id as the hub accepts it: name or org/name, letters, digits, - _ . only. */
export function parseRepoRef(ref: string): { repo: string; revision: string } {
  const at = ref.lastIndexOf('@')
  const repo = at > 0 ? ref.slice(0, at) : ref
  const revision = at > 0 ? ref.slice(at + 1) : 'main'
  if (!/^[\w.-]+(\/[\w.-]+)?$/.test(repo) || repo.includes('--') || repo.includes('..')) {
    throw new ApiError(
      'bad_request',
      `"${ref}" is not a Hugging Face repo id (expected org/name[@revision]).`,
    )
  }
  if (!/^[\w./-]+$/.test(revision) || revision.includes('..')) {
    throw new ApiError('bad_request', `"${revision}" is not a revision (a branch, tag or commit).`)
  }
  return { repo, revision }
}

export function isCommitHash(revision: string): boolean {
  return /^[0-9a-f]{40}$/.test(revision)
}
