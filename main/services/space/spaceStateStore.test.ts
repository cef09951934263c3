import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { SpaceState } from '../../contract/space'
import { openDatabase, SessionStore } from '../store'
import { createSpaceHandlers } from './handlers'

// The real database with every migration, as the app opens it.
const dir = mkdtempSync(join(tmpdir(), 'glassbox-space-state-'))
const file = join(dir, 'glassbox.db')
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const state: SpaceState = {
  source: { kind: 'glove' },
  projection: { method: 'custom', dimensions: 2, axes: [{ from: ['man'], to: ['woman'] }] },
  selection: ['king', 'queen'],
  camera: { position: [1, 2, 3], target: [0, 0.5, 0] },
  colorBy: null,
}

describe('space state per session', () => {
  it('is saved with a session, comes back after reopening the database, goes with it', async () => {
    let db = openDatabase(file)
    const session = new SessionStore(db).createSession('space')
    const ctx = { emit: () => {} }
    let handlers = createSpaceHandlers({ dataDir: dir, db })
    expect(await handlers['space.loadState']({ sessionId: session.id }, ctx)).toEqual({
      state: null,
    })
    await handlers['space.saveState']({ sessionId: session.id, state }, ctx)
    await handlers['space.saveState'](
      { sessionId: session.id, state: { ...state, selection: ['frog'] } },
      ctx,
    )
    db.close()

    db = openDatabase(file)
    handlers = createSpaceHandlers({ dataDir: dir, db })
    const loaded = await handlers['space.loadState']({ sessionId: session.id }, ctx)
    expect(loaded.state).toEqual({ ...state, selection: ['frog'] })
    new SessionStore(db).deleteSession(session.id)
    expect(await handlers['space.loadState']({ sessionId: session.id }, ctx)).toEqual({
      state: null,
    })
    db.close()
  })

  it('refuses state for a session that does not exist', async () => {
    const db = openDatabase(file)
    const handlers = createSpaceHandlers({ dataDir: dir, db })
    await expect(
      Promise.resolve(handlers['space.saveState']({ sessionId: 999, state }, { emit: () => {} })),
    ).rejects.toMatchObject({ code: 'not_found', message: 'There is no session 999.' })
    db.close()
  })
})
