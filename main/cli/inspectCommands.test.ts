import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { writeFixtureModel } from '../../native-models/io'
import { inspectCommands } from './inspectCommands'

describe('glassbox inspect', () => {
  let dir: string
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glassbox-cli-inspect-'))
    await writeFixtureModel(dir, { arch: 'gpt2', seed: 2 })
  })
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

  it('prints tokens, top-k, attention [layer][head][query][key], lens and norms as JSON', async () => {
    let out = ''
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      out += String(chunk)
      return true
    })
    let code: number
    try {
      code = await inspectCommands.inspect.run([
        '--model',
        dir,
        '--text',
        'Hi there',
        '--top-k',
        '2',
      ])
    } finally {
      spy.mockRestore()
    }
    expect(code).toBe(0)
    const json = JSON.parse(out)
    const n = json.tokens.length
    expect(n).toBeGreaterThan(1)
    expect(json.predictions).toHaveLength(n)
    expect(json.predictions[0].candidates).toHaveLength(2)
    expect(json.attention).toHaveLength(json.numLayers)
    expect(json.attention[0]).toHaveLength(json.numHeads)
    expect(json.attention[0][0]).toHaveLength(n)
    expect(json.attention[0][0][n - 1]).toHaveLength(n)
    expect(json.lens).toHaveLength(json.numLayers + 1)
    expect(json.lens[0]).toHaveLength(n)
    expect(json.contributions).toHaveLength(json.numLayers)
  })

  it('refuses a call without a model', async () => {
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation(() => true)
    try {
      expect(await inspectCommands.inspect.run(['--text', 'x'])).toBe(2)
    } finally {
      spy.mockRestore()
    }
  })
})
