// The `glassbox` bin from a packed and installed copy, run from another folder: no tsx, no
// sources and no working-directory paths to lean on. The install is offline: the tarball is
// unpacked into a fresh node_modules, and the production dependencies (only those, so tsx
// and the other dev tools are absent) are linked in from this checkout.
import { execFileSync, spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeTempDir } from '../services/store/testing/tempDir'

const root = path.resolve(__dirname, '..', '..')
let temp: ReturnType<typeof makeTempDir>
let bin: string
let work: string

function installCopy(prefix: string): string {
  fs.mkdirSync(prefix, { recursive: true })
  const packed = execFileSync(
    'npm',
    ['pack', '--ignore-scripts', '--silent', '--pack-destination', prefix],
    { cwd: root, encoding: 'utf8' },
  ).trim()
  const pkg = path.join(prefix, 'node_modules', 'glassbox')
  fs.mkdirSync(pkg, { recursive: true })
  execFileSync('tar', ['-xzf', path.join(prefix, packed), '-C', pkg, '--strip-components=1'])
  const production = execFileSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], {
    cwd: root,
    encoding: 'utf8',
  })
  const topLevel = new Set<string>()
  for (const dir of production.trim().split('\n')) {
    const rel = path.relative(path.join(root, 'node_modules'), dir)
    if (!rel || rel.startsWith('..')) continue
    const parts = rel.split(path.sep)
    const name = parts[0].startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]
    if (name !== 'electron') topLevel.add(name)
  }
  for (const name of topLevel) {
    const link = path.join(prefix, 'node_modules', name)
    fs.mkdirSync(path.dirname(link), { recursive: true })
    fs.symlinkSync(path.join(root, 'node_modules', name), link, 'dir')
  }
  return path.join(pkg, 'main', 'bin', 'glassbox.cjs')
}

function glassbox(args: string[]): string {
  return execFileSync(process.execPath, [bin, ...args], { cwd: work, encoding: 'utf8' })
}

beforeAll(() => {
  if (!fs.existsSync(path.join(root, 'out', 'main', 'cli.js'))) {
    throw new Error('out/main/cli.js is missing: `npm test` builds it first (npm run build).')
  }
  temp = makeTempDir()
  bin = installCopy(path.join(temp.dir, 'install'))
  work = path.join(temp.dir, 'elsewhere')
  fs.mkdirSync(path.join(work, 'notes'), { recursive: true })
  const line = 'In the beginning the model read its notes, and the notes were good.\n'
  fs.writeFileSync(path.join(work, 'notes', 'a.txt'), line.repeat(150))
}, 120_000)

afterAll(() => temp?.cleanup())

describe('the packed and installed glassbox bin, from another folder', () => {
  it('has no sources or tsx to fall back on', () => {
    const pkg = path.dirname(path.dirname(path.dirname(bin)))
    expect(fs.existsSync(path.join(pkg, 'main', 'cli.ts'))).toBe(false)
    expect(fs.existsSync(path.join(pkg, '..', 'tsx'))).toBe(false)
    expect(fs.existsSync(path.join(pkg, 'native-models', 'default', 'config.json'))).toBe(true)
  })

  it('trains a model', () => {
    glassbox(['fixture', '--arch', 'llama', '--out', 'fx'])
    const out = glassbox([
      'train',
      '--model',
      'fx',
      '--data',
      'notes',
      '--out',
      'trained',
      '--steps',
      '2',
    ])
    expect(out).toMatch(/model written to trained/)
    expect(fs.existsSync(path.join(work, 'trained', 'model.safetensors'))).toBe(true)
  })

  it('serves the app', async () => {
    const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--data-dir', 'data'], {
      cwd: work,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let seen = ''
        child.stdout.on('data', (chunk: Buffer) => {
          seen += chunk.toString()
          const match = /running at (http\S+)/.exec(seen)
          if (match) resolve(match[1])
        })
        child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${seen}`)))
      })
      const page = await fetch(url)
      expect(page.status).toBe(200)
      expect(await page.text()).toContain('<div id="root"')
    } finally {
      child.kill('SIGTERM')
    }
  })
})
