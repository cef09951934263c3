import { spawn } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, expect, it, vi } from 'vitest'
import { writeFixtureModel } from '../../native-models/io'
import { main } from '../cli'
import { HubTokenStore } from '../services/models/hub/hubToken'
import { startTestHub, type TestHub } from '../services/models/hub/testHub'
import { DATABASE_FILE, openDatabase, SessionStore } from '../services/store'
import { makeTempDir } from '../services/store/testing/tempDir'
import { progressLine } from './hubCommands'

let temp: ReturnType<typeof makeTempDir>
let hub: TestHub
const repo = 'test-org/tiny-llama'

beforeAll(async () => {
  temp = makeTempDir()
  const tiny = path.join(temp.dir, 'tiny')
  await writeFixtureModel(tiny, { arch: 'llama' })
  hub = await startTestHub([
    { id: repo, dir: tiny },
    { id: 'test-org/gated-llama', dir: tiny, gated: true },
  ])
})

afterAll(async () => {
  await hub.close()
  temp.cleanup()
})

function env(cache: string): NodeJS.ProcessEnv {
  return { ...process.env, HF_ENDPOINT: hub.url, HF_HUB_CACHE: cache, HF_TOKEN: '' }
}

function cli(args: string[], e: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'main/cli.ts', ...args], {
    env: e,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => (stdout += String(d)))
  child.stderr.on('data', (d: Buffer) => (stderr += String(d)))
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return { child, exit, out: () => ({ stdout, stderr }) }
}

it('a pull killed with SIGKILL midway resumes with Range and ends with the tree’s SHA-256', async () => {
  const cache = path.join(temp.dir, 'cache')
  const dataDir = path.join(temp.dir, 'data')
  const weights = hub.files(repo).find((f) => f.path === 'model.safetensors')!
  const partial = path.join(
    cache,
    'models--test-org--tiny-llama',
    'blobs',
    `${weights.sha256}.incomplete`,
  )
  hub.throttle(150_000)
  const first = cli(['models', 'pull', repo, '--data-dir', dataDir], env(cache))
  await vi.waitFor(
    () => expect(fs.existsSync(partial) && fs.statSync(partial).size).toBeGreaterThan(60_000),
    { timeout: 20_000, interval: 50 },
  )
  first.child.kill('SIGKILL')
  await first.exit
  const kept = fs.statSync(partial).size
  expect(kept).toBeLessThan(weights.size)
  hub.throttle(0)
  const before = hub.requests.length
  const second = cli(['models', 'pull', repo, '--data-dir', dataDir], env(cache))
  expect(await second.exit).toBe(0)
  const resumed = hub.requests.slice(before).filter((r) => r.url.startsWith('/lfs-cdn/'))
  expect(resumed.map((r) => r.range)).toEqual([`bytes=${kept}-`])
  const snap = path.join(cache, 'models--test-org--tiny-llama', 'snapshots')
  const commit = fs.readdirSync(snap)[0]
  for (const f of hub.files(repo)) {
    const data = fs.readFileSync(path.join(snap, commit, f.path))
    expect(crypto.createHash('sha256').update(data).digest('hex')).toBe(f.sha256)
  }
  expect(second.out().stdout).toMatch(/test-org\/tiny-llama is model \d+/)
  // Registered under the repo's name, where it lies in the cache.
  const log = vi.spyOn(process.stdout, 'write').mockImplementation(() => true)
  try {
    expect(await main(['models', 'list', '--json', '--data-dir', dataDir])).toBe(0)
    const rows = JSON.parse(String(log.mock.calls.map((c) => c[0]).join(''))) as {
      name: string
      path: string
      runnable: boolean
    }[]
    expect(rows.find((r) => r.name === repo)).toMatchObject({
      path: path.join(snap, commit),
      runnable: true,
    })
  } finally {
    log.mockRestore()
  }
}, 60_000)

it('a failed pull exits non-zero with one line saying what and why', async () => {
  const cache = path.join(temp.dir, 'cache-fail')
  const missing = cli(['models', 'pull', 'test-org/nope', '--data-dir', temp.dir], env(cache))
  expect(await missing.exit).toBe(1)
  expect(missing.out().stderr.trim().split('\n')).toEqual([
    'error: test-org/nope was not found on the hub (check the spelling; a private repo needs a token).',
  ])
  const bad = cli(['models', 'pull', 'not a repo'], env(cache))
  expect(await bad.exit).toBe(1)
  expect(bad.out().stderr).toMatch(/^error: "not a repo" is not a Hugging Face repo id/)
}, 30_000)

it('pull uses the token and the cache folder saved in the app for --data-dir', async () => {
  const dataDir = path.join(temp.dir, 'data-saved')
  const picked = path.join(temp.dir, 'picked-cache')
  new HubTokenStore(dataDir).save(hub.token)
  const db = openDatabase(path.join(dataDir, DATABASE_FILE))
  new SessionStore(db).setSetting('hub.cacheDir', picked)
  db.close()
  const run = cli(
    ['models', 'pull', 'test-org/gated-llama', '--data-dir', dataDir],
    env(path.join(temp.dir, 'env-cache')),
  )
  expect(await run.exit).toBe(0)
  expect(run.out().stdout).toContain(path.join(picked, 'models--test-org--gated-llama'))
  expect(run.out().stdout + run.out().stderr).not.toContain(hub.token)
}, 30_000)

it('draws a progress bar with rate and ETA', () => {
  expect(
    progressLine(
      {
        repo,
        revision: 'main',
        state: 'running',
        doneBytes: 512 * 1024,
        totalBytes: 1024 * 1024,
        bytesPerSecond: 256 * 1024,
        etaSeconds: 2,
        files: [],
        error: null,
        modelId: null,
      },
      10,
    ),
  ).toBe('[#####-----]  50%  512.0 KiB / 1.0 MiB  256.0 KiB/s  ETA 00:02')
})
