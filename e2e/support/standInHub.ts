import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { startTestHub, type TestHub, type TestRepo } from '../../main/services/models/hub/testHub'
import { test } from '../fixtures'

export interface StandInHub {
  hub: TestHub
  /** The spec's temporary folder (real path): the hub cache is its hf-cache. */
  root: string
  /** The fixture model the repos serve, at root/library/tiny-llama. */
  modelDir: string
}

/**
 * A fixture Llama served by the stand-in hub for the spec's tests. The hosts they start
 * inherit the environment set here: they talk to this hub, never the real one, write into a
 * cache and an HF_HOME of their own, and see no token from outside.
 */
export function standInHub(repos: (modelDir: string) => TestRepo[]): () => StandInHub {
  let state: StandInHub | null = null
  test.beforeAll(async () => {
    const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'glassbox-e2e-hub-')))
    const modelDir = path.join(root, 'library', 'tiny-llama')
    execFileSync(process.execPath, [
      '--import',
      'tsx',
      path.join(__dirname, 'writeFixtureModel.mts'),
      modelDir,
      'llama',
    ])
    const hub = await startTestHub(repos(modelDir))
    process.env.HF_ENDPOINT = hub.url
    process.env.HF_HUB_CACHE = path.join(root, 'hf-cache')
    process.env.HF_HOME = path.join(root, 'hf-home')
    process.env.HF_TOKEN = ''
    state = { hub, root, modelDir }
  })
  test.afterAll(async () => {
    await state?.hub.close()
    delete process.env.HF_ENDPOINT
    delete process.env.HF_HUB_CACHE
    delete process.env.HF_HOME
    if (state) fs.rmSync(state.root, { recursive: true, force: true })
  })
  return () => {
    if (!state) throw new Error('the stand-in hub starts in beforeAll')
    return state
  }
}
