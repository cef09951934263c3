// The API inside the app: off by default, on from Settings, the key rotated there.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { LocalEngine } from '../engine/engine'
import { createToyModel } from '../engine/testing'
import { ModelRegistry } from '../models/registry'
import { DATABASE_FILE, openDatabase, SessionStore } from '../store'
import { ApiControl } from './control'
import { OpenAiAdapter } from './openaiAdapter'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true })
})

function control(): ApiControl {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glassbox-api-control-'))
  dirs.push(dir)
  const db = openDatabase(path.join(dir, DATABASE_FILE))
  const store = new SessionStore(db)
  const registry = new ModelRegistry(db)
  const engine = new LocalEngine(async () => createToyModel().model)
  return new ApiControl(
    store,
    () => new OpenAiAdapter({ registry, engine, embed: () => Promise.reject(new Error('none')) }),
  )
}

const models = (baseUrl: string, key: string) =>
  fetch(`${baseUrl}/models`, { headers: { authorization: `Bearer ${key}` } }).then((r) => r.status)

describe('the API in the app', () => {
  it('is off by default, on from Settings, and a rotated key replaces the old one', async () => {
    const api = control()
    const off = await api.resume()
    expect(off.enabled).toBe(false)
    expect(off.baseUrl).toBeNull()
    expect(off.key).toMatch(/^gb-/)

    const on = await api.configure({ enabled: true, port: 0 })
    expect(on.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/)
    expect(await models(on.baseUrl!, on.key)).toBe(200)

    const rotated = await api.rotateKey()
    expect(rotated.key).not.toBe(on.key)
    expect(await models(rotated.baseUrl!, on.key)).toBe(401)
    expect(await models(rotated.baseUrl!, rotated.key)).toBe(200)

    const stopped = await api.configure({ enabled: false })
    expect(stopped.baseUrl).toBeNull()
    await expect(models(rotated.baseUrl!, rotated.key)).rejects.toThrow()
    await api.close()
  })

  it('a port in use is an error in the status, not a crash', async () => {
    const first = control()
    const on = await first.configure({ enabled: true, port: 0 })
    const port = Number(new URL(on.baseUrl!).port)
    const second = control()
    const clash = await second.configure({ enabled: true, port })
    expect(clash.baseUrl).toBeNull()
    expect(clash.error).toMatch(new RegExp(`port ${port}`))
    await first.close()
    await second.close()
  })
})
