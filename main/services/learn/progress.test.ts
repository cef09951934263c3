import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { methods } from '../../contract'
import { openDatabase, SessionStore } from '../store'
import { makeTempDir } from '../store/testing/tempDir'
import { createLearnHandlers } from './handlers'
import { LearnProgressStore } from './progress'

const temp = makeTempDir('glassbox-learn-')
afterAll(() => temp.cleanup())

function open(file: string) {
  const db = openDatabase(file)
  return { db, progress: new LearnProgressStore(new SessionStore(db)) }
}

describe('LearnProgressStore', () => {
  it('starts empty, and what is saved comes back after the database is reopened', () => {
    const file = path.join(temp.dir, 'reopen.sqlite')
    const first = open(file)
    expect(first.progress.get()).toEqual({ current: null, done: [] })
    const saved = first.progress.save({ current: 4, done: [3, 1, 3, 2] })
    expect(saved).toEqual({ current: 4, done: [1, 2, 3] })
    first.db.close()

    const second = open(file)
    expect(second.progress.get()).toEqual({ current: 4, done: [1, 2, 3] })
    second.db.close()
  })

  it('reads a stored value that no longer fits the shape as no progress', () => {
    const file = path.join(temp.dir, 'odd.sqlite')
    const db = openDatabase(file)
    const store = new SessionStore(db)
    store.setSetting('learn.progress', { current: 'three', done: 'all' })
    expect(new LearnProgressStore(store).get()).toEqual({ current: null, done: [] })
    db.close()
  })

  it('the contract refuses a chapter number below 1', () => {
    const parsed = methods['learn.saveProgress'].input.safeParse({ current: 0, done: [] })
    expect(parsed.success).toBe(false)
  })

  it('handlers save and read through the same store', async () => {
    const file = path.join(temp.dir, 'handlers.sqlite')
    const { db, progress } = open(file)
    const handlers = createLearnHandlers({ progress, dataDir: temp.dir, tokenizerDir: null })
    const ctx = { emit: () => undefined }
    await handlers['learn.saveProgress']({ current: 2, done: [1] }, ctx)
    expect(await handlers['learn.getProgress']({}, ctx)).toEqual({ current: 2, done: [1] })
    db.close()
  })
})
