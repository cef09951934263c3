import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { EmbeddingRows } from './embeddingRows'

const root = mkdtempSync(join(tmpdir(), 'gb-rows-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

describe('EmbeddingRows', () => {
  const [vocab, hidden, offset] = [5, 3, 8]
  const table = Float32Array.from({ length: vocab * hidden }, (_, i) => i * 0.5 - 2)
  const file = join(root, 'weights.bin')
  writeFileSync(file, Buffer.concat([Buffer.alloc(offset, 7), Buffer.from(table.buffer)]))

  it('reads the rows of the ids, in order, from the offset on', () => {
    const rows = new EmbeddingRows(file, offset, vocab, hidden)
    expect([...rows.lookup([4n, 0n, 4n])]).toEqual([
      ...table.subarray(12, 15),
      ...table.subarray(0, 3),
      ...table.subarray(12, 15),
    ])
    rows.close()
  })

  it('refuses ids outside the vocabulary and names a truncated file', () => {
    const rows = new EmbeddingRows(file, offset, vocab, hidden)
    expect(() => rows.lookup([5n])).toThrow(/outside the vocabulary \[0, 5\)/)
    expect(() => rows.lookup([-1])).toThrow(RangeError)
    rows.close()
    const short = join(root, 'short.bin')
    writeFileSync(short, Buffer.from(table.buffer, 0, 4 * hidden * 2))
    const cut = new EmbeddingRows(short, 0, vocab, hidden)
    expect(() => cut.lookup([3n])).toThrow(`${short}: is truncated`)
    cut.close()
    expect(() => cut.lookup([0n])).toThrow(/after release/)
  })
})

describe('the decode graph takes embedding rows', () => {
  it('looks the ids up outside ort: from weights.bin beside a tied f32 head, else a side file', async () => {
    const { loadModel, writeFixtureModel } = await import('./index')
    const { ort } = await import('../onnx/session')
    const dir = join(root, 'llama')
    await writeFixtureModel(dir, { arch: 'llama', numKvHeads: 2, tiedEmbeddings: true })
    const cacheDir = join(root, 'cache')
    for (const quantization of ['none', 'int4'] as const) {
      const model = await loadModel(dir, { executionProvider: 'cpu', cacheDir, quantization })
      const logits = await model.logits([1, 2, 3])
      expect(logits[2].every(Number.isFinite)).toBe(true)
      await model.dispose()
    }
    const { readdirSync } = await import('node:fs')
    const entries = readdirSync(cacheDir).map((e) => join(cacheDir, e))
    const sides = entries.filter((e) => readdirSync(e).some((f) => f.endsWith('.f32')))
    // Tied: the f32 graph's head holds the table in weights.bin; int4's head is its own.
    expect(entries).toHaveLength(2)
    expect(sides).toHaveLength(1)
    for (const e of entries) {
      const s = await ort.InferenceSession.create(join(e, 'plain.onnx'))
      expect(s.inputNames).toContain('inputs_embeds')
      expect(s.inputNames).not.toContain('input_ids')
      await s.release()
    }
  })
})
