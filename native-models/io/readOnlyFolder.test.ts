// A model folder Glassbox may not write to (issue 19): built graphs go to the cache folder,
// keyed by the weights, and a broken chat_template is set aside instead of failing the load.
import { chmodSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defaultGraphCacheDir, loadModel, writeFixtureModel } from './index'

let root: string
const savedCache = process.env.XDG_CACHE_HOME
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'glassbox-readonly-'))
  process.env.XDG_CACHE_HOME = join(root, 'xdg-cache')
})
afterAll(() => {
  if (savedCache === undefined) delete process.env.XDG_CACHE_HOME
  else process.env.XDG_CACHE_HOME = savedCache
  chmodSync(join(root, 'ro'), 0o755)
  rmSync(root, { recursive: true, force: true })
})

const listing = (dir: string) => readdirSync(dir, { recursive: true }).map(String).sort()

describe('a model folder that cannot be written', () => {
  it('loads and runs with the graphs cached outside it, keyed by the weights', async () => {
    const dir = join(root, 'ro')
    await writeFixtureModel(dir, { arch: 'llama' })
    const before = listing(dir)
    chmodSync(dir, 0o555)
    // As root chmod does not stop writes; the listing below is the check that holds anyway.
    if (process.getuid?.() === 0) console.log('running as root: chmod -w does not stop writes here')
    const model = await loadModel(dir, { executionProvider: 'cpu' })
    const logits = await model.newSession().prefill([1, 2, 3])
    expect(logits.length).toBe(model.info.vocabSize)
    await model.dispose()
    expect(listing(dir)).toEqual(before)
    const cache = defaultGraphCacheDir()
    expect(cache).toBe(join(root, 'xdg-cache', 'glassbox', 'graph-cache'))
    const entries = readdirSync(cache)
    expect(entries).toHaveLength(1)
    expect(readdirSync(join(cache, entries[0]))).toContain('plain.onnx')
    // The same weights in another folder hit the same entry.
    const copy = join(root, 'copy')
    await writeFixtureModel(copy, { arch: 'llama' })
    const again = await loadModel(copy, { executionProvider: 'cpu' })
    expect(again.info.fromCache).toBe(true)
    await again.dispose()
    expect(readdirSync(cache)).toHaveLength(1)
  })

  it('a chat_template that does not parse falls back to completion mode with the reason', async () => {
    const dir = join(root, 'template')
    await writeFixtureModel(dir, { arch: 'llama', tokenizer: 'llama3' })
    const file = join(dir, 'tokenizer_config.json')
    const cfg = JSON.parse(readFileSync(file, 'utf8'))
    writeFileSync(file, JSON.stringify({ ...cfg, chat_template: '{% for m in messages %}{{ m' }))
    const model = await loadModel(dir, { executionProvider: 'cpu', cacheDir: join(root, 'c2') })
    expect(model.info.hasChatTemplate).toBe(false)
    expect(model.info.chatTemplateProblem).toMatch(
      /^tokenizer_config\.json: chat_template cannot be used/,
    )
    const logits = await model.newSession().prefill(model.tokenizer.encode('In the beginning'))
    expect(logits.length).toBe(model.info.vocabSize)
    await model.dispose()
  })
})
