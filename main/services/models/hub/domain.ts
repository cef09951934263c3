// The hub and the model libraries on disk, wired for the composition root.
import type { hubMethods } from '../../../contract/hub'
import type { Handlers } from '../../../contract/router'
import type { EventBus } from '../../eventBus'
import { defaultModelLibraries, discoverModels, type ModelLibraries } from '../discovery'
import type { ModelRegistry } from '../registry'
import { planDownload, repoInfo, searchModels } from './hubClient'
import { type HubConfig, hubConfigFromEnv, parseRepoRef } from './hubConfig'
import { DownloadManager } from './downloads'
import type { RetryPolicy } from './hubFetch'

export interface HubDomainDeps {
  registry: ModelRegistry
  bus: EventBus
  /** Read at each call, so a changed HF_ENDPOINT or token takes effect without a restart. */
  config?: () => HubConfig
  libraries?: () => ModelLibraries
  retry?: RetryPolicy
}

export function createHubDomain(deps: HubDomainDeps) {
  const config = deps.config ?? (() => hubConfigFromEnv())
  const libraries = deps.libraries ?? (() => defaultModelLibraries())
  const downloads = new DownloadManager({
    config,
    registry: deps.registry,
    bus: deps.bus,
    retry: deps.retry,
  })
  const ref = (r: { repo: string; revision?: string }) =>
    parseRepoRef(r.revision ? `${r.repo}@${r.revision}` : r.repo)
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
    'models.discover': () => {
      const known = new Set(deps.registry.list().map((m) => m.path))
      return discoverModels(libraries()).filter((d) => !known.has(d.path))
    },
  } satisfies Pick<Handlers, keyof typeof hubMethods>
  return { downloads, handlers }
}
