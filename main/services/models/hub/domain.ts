// The hub and the model libraries on disk, wired for the composition root.
import fs from 'node:fs'
import path from 'node:path'
import { ApiError } from '../../../contract/define'
import type { HubSettings, hubMethods } from '../../../contract/hub'
import type { Handlers } from '../../../contract/router'
import type { EventBus } from '../../eventBus'
import { defaultModelLibraries, discoverModels, type ModelLibraries } from '../discovery'
import { listFolders } from '../folderBrowser'
import type { ModelRegistry } from '../registry'
import { planDownload, repoInfo, searchModels } from './hubClient'
import { CACHE_DIR_SETTING, type HubConfig, parseRepoRef, resolveHubConfig } from './hubConfig'
import type { HubTokenStore } from './hubToken'
import { type DownloadJournal, DownloadManager, type PendingDownload } from './downloads'
import type { RetryPolicy } from './hubFetch'

/** The settings table (SessionStore has these two). */
export interface SettingsStore {
  getSetting<T>(key: string): T | undefined
  setSetting(key: string, value: unknown): void
}

export interface HubDomainDeps {
  registry: ModelRegistry
  bus: EventBus
  /** A fixed config (tests); by default it is resolved at each call from env and settings. */
  config?: () => HubConfig
  /** Read at each call, so a changed HF_ENDPOINT or token takes effect without a restart. */
  env?: Record<string, string | undefined>
  /** The cache folder picked in the app and the unfinished downloads live here. */
  settings?: SettingsStore
  tokens?: HubTokenStore
  libraries?: () => ModelLibraries
  retry?: RetryPolicy
}

const journalKey = 'hub.unfinishedDownloads'

function journalIn(settings: SettingsStore): DownloadJournal {
  return {
    load: () => settings.getSetting<PendingDownload[]>(journalKey) ?? [],
    save: (list) => settings.setSetting(journalKey, list),
  }
}

export function createHubDomain(deps: HubDomainDeps) {
  const { settings, tokens } = deps
  const resolved = () =>
    resolveHubConfig(deps.env ?? process.env, {
      token: () => tokens?.read(),
      cacheDir: settings?.getSetting<string | null>(CACHE_DIR_SETTING) ?? null,
    })
  const config = deps.config ?? (() => resolved().config)
  // Discovery reads the cache pulls write to, the picked folder included.
  const libraries =
    deps.libraries ??
    (() => ({ ...defaultModelLibraries(deps.env ?? process.env), hfCache: config().cacheDir }))
  const downloads = new DownloadManager({
    config,
    registry: deps.registry,
    bus: deps.bus,
    retry: deps.retry,
    journal: settings ? journalIn(settings) : undefined,
  })
  const ref = (r: { repo: string; revision?: string }) =>
    parseRepoRef(r.revision ? `${r.repo}@${r.revision}` : r.repo)
  const hubSettings = (): HubSettings => {
    const r = resolved()
    const c = config()
    return {
      endpoint: c.endpoint,
      tokenSource: r.tokenSource,
      tokenSaved: tokens?.saved() ?? false,
      tokenEncrypted: tokens?.encrypted() ?? false,
      cacheDir: c.cacheDir,
      cacheDirSource: r.cacheDirSource,
      proxy: c.proxy !== undefined,
    }
  }
  const needTokens = (): HubTokenStore => {
    if (!tokens) throw new ApiError('unsupported', 'Tokens cannot be saved here.')
    return tokens
  }
  const handlers = {
    'hub.search': ({ query, limit }) => searchModels(config(), query, limit ?? 20),
    'hub.plan': async (r) => {
      const { repo, revision } = ref(r)
      const cfg = config()
      return planDownload(cfg, await repoInfo(cfg, repo, revision), revision)
    },
    'hub.download': (r) => {
      const { repo, revision } = ref(r)
      return downloads.start(repo, revision)
    },
    'hub.pause': async (r) => {
      const { repo, revision } = ref(r)
      return { paused: await downloads.pause(repo, revision) }
    },
    'hub.cancel': async (r) => {
      const { repo, revision } = ref(r)
      return { cancelled: await downloads.cancel(repo, revision) }
    },
    'hub.downloads': () => downloads.list(),
    'hub.settings': () => hubSettings(),
    'hub.saveToken': async ({ token }) => {
      needTokens().save(token)
      return hubSettings()
    },
    'hub.clearToken': () => {
      needTokens().clear()
      return hubSettings()
    },
    'hub.setCacheDir': async ({ path: dir }) => {
      if (!settings) throw new ApiError('unsupported', 'The cache folder cannot be set here.')
      if (dir !== null) {
        if (!path.isAbsolute(dir)) {
          throw new ApiError('bad_request', `path: "${dir}" is not an absolute folder path.`)
        }
        try {
          fs.mkdirSync(dir, { recursive: true })
          fs.accessSync(dir, fs.constants.W_OK)
        } catch (err) {
          throw new ApiError(
            'bad_request',
            `path: ${dir} cannot be used as the hub cache (${(err as NodeJS.ErrnoException).code ?? 'not writable'}).`,
          )
        }
        if (!fs.statSync(dir).isDirectory()) {
          throw new ApiError('bad_request', `path: ${dir} is a file, not a folder.`)
        }
      }
      settings.setSetting(CACHE_DIR_SETTING, dir === null ? null : path.resolve(dir))
      return hubSettings()
    },
    'models.listFolders': ({ path: p }) => listFolders(p, libraries()),
    'models.discover': () => {
      const known = new Set(deps.registry.list().map((m) => m.path))
      return discoverModels(libraries()).filter((d) => !known.has(d.path))
    },
  } satisfies Pick<Handlers, keyof typeof hubMethods>
  return { downloads, handlers }
}
