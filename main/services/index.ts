import path from 'node:path'
import type Database from 'better-sqlite3'
import { version } from '../../package.json'
import { createRouter, type Dispatch } from '../contract/router'
import { ComputeClient } from '../compute/client'
import { forkLauncher, type ComputeLauncher } from '../compute/launcher'
import { EventBus } from './eventBus'
import { createSessionsHandlers } from './sessions/handlers'
import { createSpaceHandlers } from './space/handlers'
import { inProcessModelPort } from './space/modelPort'
import { DATABASE_FILE, openDatabase, SessionStore } from './store'
import { createSystemHandlers } from './system/handlers'

export type AppMode = 'electron' | 'browser' | 'cli'

export interface ServicesOptions {
  dataDir: string
  mode: AppMode
  /** How to start the compute child: utilityProcess in Electron, fork (default) elsewhere. */
  computeLauncher?: ComputeLauncher
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
  dispatch: Dispatch
  close(): void
}

/**
 * The composition root: the one place that builds the services and wires them together.
 * A domain adds its service here and spreads its handlers into the router.
 */
export function createServices(options: ServicesOptions): Services {
  const { dataDir, mode } = options
  const db = openDatabase(path.join(dataDir, DATABASE_FILE))
  const bus = new EventBus()
  const store = new SessionStore(db)
  // Replies that were streaming when the app last stopped did not finish. (Not from the CLI:
  // it may read the database while the app runs.)
  if (mode !== 'cli') store.markUnfinishedInterrupted()
  const compute = new ComputeClient(options.computeLauncher ?? forkLauncher(), {
    log: (line) => console.error(line),
    onStatus: (status) => bus.emit('system.computeStatus', status),
  })

  const dispatch = createRouter({
    ...createSystemHandlers({ mode, version, compute }),
    ...createSessionsHandlers({ store, bus }),
    ...createSpaceHandlers({ dataDir, bus, db, models: inProcessModelPort() }),
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
    dispatch,
    close() {
      if (closed) return
      closed = true
      compute.stop()
      db.close()
    },
  }
}
