import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { test } from '../fixtures'

const root = resolve(__dirname, '..', '..')
const CACHE = join('space', 'glove-wink-sg-100d.f32')

/**
 * One GloVe cache per spec file, built by the app's own converter (under tsx: Playwright's
 * transform cannot load ESM-only code), then copied into each test's data folder. Building
 * it is covered by the unit tests; here it would only cost each test the same ~10-40 s.
 * Call at the top of a spec; the function it returns seeds a host's data folder.
 */
export function sharedGloveCache(): (dataDir: string) => void {
  let shared = ''
  test.beforeAll(() => {
    test.setTimeout(240_000)
    shared = mkdtempSync(join(tmpdir(), 'glassbox-e2e-glove-'))
    execFileSync(
      join(root, 'node_modules', '.bin', 'tsx'),
      [
        '-e',
        `import { buildGloveCache } from './main/services/space/gloveCache'
         buildGloveCache(process.argv[1]).result.catch((e) => { console.error(e); process.exit(1) })`,
        shared,
      ],
      { cwd: root, stdio: 'inherit' },
    )
  })
  return (dataDir) => {
    mkdirSync(join(dataDir, 'space'), { recursive: true })
    copyFileSync(join(shared, CACHE), join(dataDir, CACHE))
  }
}
