import type Database from 'better-sqlite3'
import { ApiError } from '../../contract/define'
import type { Handlers } from '../../contract/router'
import type { spaceMethods } from '../../contract/space'
import {
  NoModelError,
  SpaceService,
  type SpaceModelPort,
  type SpaceServiceDeps,
} from './spaceService'
import { SpaceStateStore } from './spaceStateStore'
import { TsvError } from './tsvFormat'
import { UnknownWordError } from './wordSpace'
import { CancelledError } from './workerTask'

export interface SpaceHandlerDeps {
  dataDir: string
  /** The app's EventBus (space.progress events). */
  bus?: { emit: NonNullable<SpaceServiceDeps['emit']> }
  db?: Database.Database
  models?: SpaceModelPort
  /** Shares an existing service (the CLI or tests); made from the deps above otherwise. */
  service?: SpaceService
  /** The work calls from elsewhere: the app runs them in the compute child. */
  work?: SpaceWorkHandlers
}

/** float32 → base64: see the note in contract/space.ts on why points travel this way. */
export function encodeFloats(values: Float32Array): string {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64')
}

// Domain errors become typed API errors a person can read; anything else stays 'internal'.
async function guard<T>(work: () => T | Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (err) {
    if (err instanceof UnknownWordError) throw new ApiError('not_found', err.message)
    if (err instanceof NoModelError) throw new ApiError('not_found', err.message)
    if (err instanceof TsvError) throw new ApiError('bad_request', err.message)
    if (err instanceof CancelledError) throw new ApiError('conflict', err.message)
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new ApiError('not_found', (err as Error).message)
    }
    throw err
  }
}

/** The calls that do the space's work (vectors, projections, models): everything but state. */
export const SPACE_WORK_METHODS = [
  'space.open',
  'space.project',
  'space.column',
  'space.neighbours',
  'space.analogy',
  'space.context',
  'space.cancel',
] as const
export type SpaceWorkMethod = (typeof SPACE_WORK_METHODS)[number]
export type SpaceWorkHandlers = Pick<Handlers, SpaceWorkMethod>

/** The work calls over a SpaceService in this process (the compute child, the CLI, tests). */
export function spaceWorkHandlers(service: SpaceService): SpaceWorkHandlers {
  return {
    'space.open': ({ source }) =>
      guard(async () => {
        const space = await service.open(source)
        return {
          spaceId: space.id,
          label: space.label,
          count: space.count,
          dims: space.dims,
          words: space.words.join('\n'),
          columns:
            space.metadata && space.metadata.columns.length > 1 ? space.metadata.columns : [],
          note: space.note,
        }
      }),
    'space.project': ({ spaceId, projection }) =>
      guard(async () => {
        const result = await service.project(spaceId, projection)
        return {
          count: result.count,
          positions: encodeFloats(result.positions),
          explainedVariance: result.explainedVariance,
          note: result.note,
        }
      }),
    'space.column': ({ spaceId, column }) => guard(() => service.column(spaceId, column)),
    'space.neighbours': ({ spaceId, word, k }) =>
      guard(() => service.get(spaceId).neighbours(word, k)),
    'space.analogy': ({ spaceId, a, b, c, k }) =>
      guard(() => service.get(spaceId).analogy(a, b, c, k)),
    'space.context': ({ word, sentences, modelDir, k }) =>
      guard(() => service.context(word, sentences, modelDir, k)),
    'space.cancel': () => ({ cancelled: service.cancel() }),
  }
}

export function createSpaceHandlers(
  deps: SpaceHandlerDeps,
): Pick<Handlers, keyof typeof spaceMethods> {
  const bus = deps.bus
  const work =
    deps.work ??
    spaceWorkHandlers(
      deps.service ??
        new SpaceService({
          dataDir: deps.dataDir,
          emit: bus ? (event, payload) => bus.emit(event, payload) : undefined,
          models: deps.models,
        }),
    )
  const states = deps.db ? new SpaceStateStore(deps.db) : null
  return {
    ...work,
    'space.saveState': ({ sessionId, state }) =>
      guard(() => {
        if (!states) throw new ApiError('unsupported', 'No database: space state is not saved.')
        try {
          states.save(sessionId, state)
        } catch (err) {
          // The table references sessions: a missing session is the caller's mistake.
          if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
            throw new ApiError('not_found', `There is no session ${sessionId}.`)
          }
          throw err
        }
        return { ok: true as const }
      }),
    'space.loadState': ({ sessionId }) =>
      guard(() => ({ state: states ? states.load(sessionId) : null })),
  }
}
