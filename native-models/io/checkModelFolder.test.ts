// The add-time check accepts every architecture Glassbox runs, and refuses with the file named.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FIXTURE_ARCHS } from '../runtime/types'
import { checkModelFolder } from './checkModelFolder'
import { writeFixtureModel } from './index'

let root: string
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'glassbox-check-'))
})
afterAll(() => rmSync(root, { recursive: true, force: true }))

describe('checkModelFolder', () => {
  it.each(FIXTURE_ARCHS)('accepts a good %s folder', async (arch) => {
    const dir = join(root, arch)
    await writeFixtureModel(dir, { arch })
    expect(checkModelFolder(dir).cfg.numLayers).toBeGreaterThan(0)
  })

  it('accepts the shipped default model', () => {
    expect(() => checkModelFolder(join(__dirname, '..', 'default'))).not.toThrow()
  })

  it('refuses a layer count that does not match the weights, naming the tensor', async () => {
    const dir = join(root, 'layers')
    await writeFixtureModel(dir, { arch: 'qwen2' })
    const file = join(dir, 'config.json')
    const cfg = JSON.parse(readFileSync(file, 'utf8'))
    writeFileSync(file, JSON.stringify({ ...cfg, num_hidden_layers: cfg.num_hidden_layers + 1 }))
    expect(() => checkModelFolder(dir)).toThrow(
      new RegExp(
        `model\\.safetensors: missing tensor model\\.layers\\.${cfg.num_hidden_layers}\\.`,
      ),
    )
  })
})
