import fs from 'node:fs'
import path from 'node:path'
import type Database from 'better-sqlite3'
import { version } from '../../package.json'
import { createRouter, type Dispatch } from '../contract/router'
import { ComputeClient } from '../compute/client'
import { forkLauncher, type ComputeLauncher } from '../compute/launcher'
import { createOpenAiAdapter } from './api'
import { ApiControl, createApiHandlers } from './api/control'
import { createChatDomain } from './chat/domain'
import { acquireDataFolderLock } from './dataFolderLock'
import { EventBus } from './eventBus'
import { createHubDomain } from './models/hub/domain'
import { findDefaultModelDir } from './models/registry'
import type { HubConfig } from './models/hub/hubConfig'
import { HubTokenStore, type SecretCipher } from './models/hub/hubToken'
import { createInspectDomain } from './inspect/domain'
import { createLearnViewsHandlers } from './learnViews/handlers'
import { createLearnHandlers } from './learn/handlers'
import { LearnProgressStore } from './learn/progress'
import { createSessionsHandlers } from './sessions/handlers'
import { createSpaceHandlers } from './space/handlers'
import { computeSpaceWork } from './space/computeWork'
import { backupIfStale, DATABASE_FILE, openDatabase, SessionStore } from './store'
import { createSystemHandlers } from './system/handlers'
import { createTrainingHandlers } from './training/handlers'
import { TrainingService } from './training/trainingService'

export type AppMode = 'electron' | 'browser' | 'cli'

export interface ServicesOptions {
  dataDir: string
  mode: AppMode
  /** How to start the compute child: utilityProcess in Electron, fork (default) elsewhere. */
  computeLauncher?: ComputeLauncher
  /** The shipped default model's folder (default: native-models/default/ when present). */
  defaultModelDir?: string | null
  /** The hub and its cache (default: from HF_ENDPOINT, HF_TOKEN, HF_HOME, HF_HUB_CACHE). */
  hubConfig?: () => HubConfig
  /** Seals the saved hub token (Electron's safeStorage); without it the file is 0600 only. */
  secretCipher?: SecretCipher
}

export interface Services {
  dataDir: string
  mode: AppMode
  version: string
  db: Database.Database
  bus: EventBus
  store: SessionStore
  /** The onnxruntime process; started at its first request. */
  compute: ComputeClient
  /** Chat, the model registry and the engine (chat/domain.ts). */
  chatDomain: ReturnType<typeof createChatDomain>
  /** Fine-tuning runs, each in a child process of its own. */
  training: TrainingService
  /** The OpenAI-compatible API server inside the app (off until Settings turn it on). */
  api: ApiControl
  dispatch: Dispatch
  /** Records where this instance listens, so a second one on the folder can point to it. */
  announce(address: string): void
  close(): void
}

/**
 * The composition root: the one place that builds the services and wires them together.
 * A domain adds its service here and spreads its handlers into the router.
 */
export function createServices(options: ServicesOptions): Services {
  const { dataDir, mode } = options
  // The CLI reads the database beside a running app; the app itself runs once per folder.
  fs.mkdirSync(dataDir, { recursive: true })
  const lock = mode === 'cli' ? null : acquireDataFolderLock(dataDir)
  const dbFile = path.join(dataDir, DATABASE_FILE)
  let db: Database.Database
  try {
    db = openDatabase(dbFile)
  } catch (err) {
    lock?.release()
    throw err
  }
  // The daily automatic copy while the app stays open (one is also taken at each start).
  const backupTimer =
    mode === 'cli'
      ? null
      : setInterval(
          () =>
            void backupIfStale(db, dbFile).catch((err: unknown) =>
              console.error(`The daily backup of ${dbFile} failed:`, err),
            ),
          60 * 60 * 1000,
        ).unref()
  const bus = new EventBus()
  const store = new SessionStore(db)
  // Replies that were streaming when the app last stopped did not finish. (Not from the CLI:
  // it may read the database while the app runs.)
  if (mode !== 'cli') store.markUnfinishedInterrupted()
  const compute = new ComputeClient(options.computeLauncher ?? forkLauncher(), {
    log: (line) => console.error(line),
    onStatus: (status) => bus.emit('system.computeStatus', status),
  })

  const chatDomain = createChatDomain({
    db,
    store,
    bus,
    compute,
    defaultModelDir: options.defaultModelDir,
  })

  // The space's "loaded model" is the one selected for chat (the default model at first).
  const selectedModelDir = (): string | null => {
    const id = chatDomain.registry.selectedId()
    return id === null ? null : chatDomain.registry.get(id).path
  }
  const hub = createHubDomain({
    registry: chatDomain.registry,
    bus,
    config: options.hubConfig,
    settings: store,
    tokens: new HubTokenStore(dataDir, options.secretCipher),
  })
  const training = new TrainingService(db, bus, dataDir, {
    recoverInterrupted: mode !== 'cli',
    engine: chatDomain.engine,
    registerModel: (dir) => {
      chatDomain.registry.add(dir)
    },
  })
  const api = new ApiControl(store, () =>
    createOpenAiAdapter({ db, store, bus, compute, chatDomain }),
  )
  // The app brings the API back up if the person left it on; the CLI never serves it.
  if (mode !== 'cli') void api.resume()
  const dispatch = createRouter({
    ...createSystemHandlers({ mode, version, compute }),
    ...createSessionsHandlers({ store, bus }),
    ...chatDomain.handlers,
    ...hub.handlers,
    ...createInspectDomain({ db, dataDir, store, compute, registry: chatDomain.registry }).handlers,
    ...createSpaceHandlers({
      dataDir,
      db,
      work: computeSpaceWork({ compute, dataDir, bus, currentModelDir: selectedModelDir }),
    }),
    ...createTrainingHandlers({ training }),
    ...createApiHandlers(api),
    ...createLearnViewsHandlers({ dataDir, compute, bus, registry: chatDomain.registry }),
    ...createLearnHandlers({
      progress: new LearnProgressStore(store),
      dataDir,
      tokenizerDir: findDefaultModelDir(),
    }),
  })

  let closed = false
  return {
    dataDir,
    mode,
    version,
    db,
    bus,
    store,
    compute,
    chatDomain,
    training,
    api,
    dispatch,
    announce: (address) => lock?.setAddress(address),
    close() {
      if (closed) return
      closed = true
      // Answers in flight end with the compute child; their rows are marked at next start.
      void chatDomain.chat.stopAll()
      training.shutdown()
      hub.downloads.stopAll()
      void api.close()
      compute.stop()
      if (backupTimer) clearInterval(backupTimer)
      db.close()
      lock?.release()
    },
  }
}
