// `glassbox serve --api`: one line with the base URL, the key from GLASSBOX_API_KEY.
import { afterEach, expect, it, vi } from 'vitest'
import { main } from '../cli'
import { makeTempDir } from '../services/store/testing/tempDir'

const temp = makeTempDir()
afterEach(() => {
  vi.restoreAllMocks()
  vi.unstubAllEnvs()
})

it('serve --api prints one line with the base URL and serves with the given key', async () => {
  vi.stubEnv('GLASSBOX_API_KEY', 'from-env')
  vi.stubEnv('GLASSBOX_DEFAULT_MODEL', 'none')
  const lines: string[] = []
  vi.spyOn(console, 'log').mockImplementation((...args) => void lines.push(args.join(' ')))
  vi.spyOn(console, 'error').mockImplementation(() => {})
  const done = main(['serve', '--api', '--api-port', '0', '--data-dir', temp.dir])
  await vi.waitFor(() => expect(lines).toHaveLength(1), { timeout: 10_000 })
  const url = /http:\/\/127\.0\.0\.1:\d+\/v1/.exec(lines[0])?.[0]
  expect(url).toBeDefined()
  const status = (key: string) =>
    fetch(`${url}/models`, { headers: { authorization: `Bearer ${key}` } }).then((r) => r.status)
  expect(await status('from-env')).toBe(200)
  expect(await status('other')).toBe(401)
  process.emit('SIGTERM')
  expect(await done).toBe(0)
  expect(lines).toHaveLength(1)
  temp.cleanup()
})
