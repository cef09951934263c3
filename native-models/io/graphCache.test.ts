import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { GraphBuilder } from '../onnx'
import { GraphCache, rowChunksOffset } from './graphCache'
import { loadModel, writeFixtureModel } from './index'

let root: string
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'glassbox-cache-'))
})
afterAll(() => rmSync(root, { recursive: true, force: true }))

describe('graph cache', () => {
  it('the second load comes from the cache and gives the same logits', async () => {
    const dir = join(root, 'gpt2')
    await writeFixtureModel(dir, { arch: 'gpt2' })
    const cacheDir = join(root, 'cache')
    const a = await loadModel(dir, { cacheDir, executionProvider: 'cpu' })
    expect(a.info.fromCache).toBe(false)
    const ids = a.tokenizer.encode('the cat')
    const la = await a.logits(ids)
    await a.insides(ids)
    await a.dispose()
    const b = await loadModel(dir, { cacheDir, executionProvider: 'cpu' })
    expect(b.info.fromCache).toBe(true)
    const lb = await b.logits(ids)
    expect(Array.from(lb[1])).toEqual(Array.from(la[1]))
    await b.dispose()
    // Different weights (another seed, same shapes) get another entry.
    await writeFixtureModel(dir, { arch: 'gpt2', seed: 77 })
    const c = await loadModel(dir, { cacheDir, executionProvider: 'cpu' })
    expect(c.info.fromCache).toBe(false)
    await c.dispose()
    expect(readdirSync(cacheDir).filter((f) => !f.startsWith('.'))).toHaveLength(2)
  })

  it('a build that throws leaves nothing behind', () => {
    const cache = new GraphCache(join(root, 'c2'))
    expect(() =>
      cache.ensureEntry('k', 'plain', () => {
        const b = new GraphBuilder()
        b.input('x', 'float32', [1])
        throw new Error('boom')
      }),
    ).toThrow('boom')
    expect(readdirSync(join(root, 'c2'))).toEqual([])
    expect(existsSync(cache.entryDir('k'))).toBe(false)
  })
})

describe('a head stored in row chunks', () => {
  const chunk = (offset: number, length: number) => ({ offset, length })
  it('reads as one table only where its chunks lie back to back', () => {
    const back = { 'h.rows0': chunk(4096, 8192), 'h.rows1': chunk(12288, 100), x: chunk(0, 4) }
    expect(rowChunksOffset(back, 'h')).toBe(4096)
    const gap = { 'h.rows0': chunk(4096, 8192), 'h.rows1': chunk(16384, 100) }
    expect(rowChunksOffset(gap, 'h')).toBeUndefined()
    expect(rowChunksOffset(back, 'x')).toBeUndefined()
  })
})
