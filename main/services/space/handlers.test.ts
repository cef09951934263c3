import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { ApiError } from '../../contract/define'
import { createSpaceHandlers } from './handlers'

// The handlers over a small Projector import: the same paths as GloVe, in milliseconds.
const dir = mkdtempSync(join(tmpdir(), 'glassbox-space-handlers-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

// Two clusters (animals along +x, vehicles along +y) and filler words along +z.
const rows: [string, string, number[]][] = [
  ['cat', 'animal', [1, 0.1, 0.05]],
  ['dog', 'animal', [0.9, 0.2, -0.05]],
  ['lion', 'animal', [1.1, 0.05, 0.1]],
  ['car', 'vehicle', [0.1, 1, 0.02]],
  ['bus', 'vehicle', [0.2, 0.9, -0.1]],
  ['train', 'vehicle', [0.05, 1.1, 0.08]],
]
for (let i = 0; i < 40; i++)
  rows.push([`w${i}`, 'other', [0.3 * Math.sin(i), 0.3 * Math.cos(i * 1.3), 1 + i / 40]])
const vectorsPath = join(dir, 'vectors.tsv')
const metadataPath = join(dir, 'metadata.tsv')
writeFileSync(vectorsPath, rows.map((r) => r[2].join('\t')).join('\n') + '\n')
writeFileSync(metadataPath, 'word\tkind\n' + rows.map((r) => `${r[0]}\t${r[1]}`).join('\n') + '\n')

const progress: string[] = []
const handlers = createSpaceHandlers({
  dataDir: dir,
  bus: { emit: (_event, payload) => progress.push(payload.stage) },
})
const ctx = { emit: () => {} }
const source = { kind: 'tsv' as const, vectorsPath, metadataPath }

function floats(base64: string): Float32Array {
  const bytes = Buffer.from(base64, 'base64')
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4)
}

describe('space handlers', () => {
  it('opens a TSV source with its labels and metadata columns', async () => {
    const opened = await handlers['space.open']({ source }, ctx)
    expect(opened.count).toBe(rows.length)
    expect(opened.dims).toBe(3)
    expect(opened.words.split('\n').slice(0, 3)).toEqual(['cat', 'dog', 'lion'])
    expect(opened.columns).toEqual(['word', 'kind'])
    expect(progress).toContain('import')
  })

  it('projects with PCA (explained variance) and as base64 float32 n × 3', async () => {
    const { spaceId } = await handlers['space.open']({ source }, ctx)
    const result = await handlers['space.project'](
      { spaceId, projection: { method: 'pca', dimensions: 2 } },
      ctx,
    )
    const pos = floats(result.positions)
    expect(result.count).toBe(rows.length)
    expect(pos.length).toBe(rows.length * 3)
    expect(result.explainedVariance).toHaveLength(2)
    expect(pos[2]).toBe(0) // 2D: z is 0
  })

  it('projects on custom axes: animals to one side of the animal→vehicle axis', async () => {
    const { spaceId } = await handlers['space.open']({ source }, ctx)
    const result = await handlers['space.project'](
      {
        spaceId,
        projection: {
          method: 'custom',
          dimensions: 3,
          axes: [
            { from: ['cat', 'dog'], to: ['car', 'bus'] },
            { from: ['lion'], to: ['train'] },
          ],
        },
      },
      ctx,
    )
    const pos = floats(result.positions)
    expect(pos[0 * 3]).toBeLessThan(0) // cat
    expect(pos[4 * 3]).toBeGreaterThan(0) // bus
  })

  it('runs UMAP in a worker on a subset and reports progress', async () => {
    const { spaceId } = await handlers['space.open']({ source }, ctx)
    const result = await handlers['space.project'](
      { spaceId, projection: { method: 'umap', dimensions: 2, topN: 30, nNeighbors: 5 } },
      ctx,
    )
    expect(result.count).toBe(30)
    const pos = floats(result.positions)
    expect(pos.every((v) => Number.isFinite(v))).toBe(true)
    expect(new Set(Array.from(pos.filter((_, i) => i % 3 === 0))).size).toBeGreaterThan(10)
    expect(progress).toContain('umap')
  })

  it('cancels a UMAP fit in progress', async () => {
    const { spaceId } = await handlers['space.open']({ source }, ctx)
    const fit = Promise.resolve(
      handlers['space.project'](
        { spaceId, projection: { method: 'umap', dimensions: 3, topN: 40, nNeighbors: 5 } },
        ctx,
      ),
    )
    expect(await handlers['space.cancel']({}, ctx)).toEqual({ cancelled: 1 })
    await expect(fit).rejects.toMatchObject({ code: 'conflict', message: 'Cancelled.' })
  })

  it('answers neighbours and analogies by cosine', async () => {
    const { spaceId } = await handlers['space.open']({ source }, ctx)
    const near = await handlers['space.neighbours']({ spaceId, word: 'cat', k: 2 }, ctx)
    expect(near.results.map((r) => r.word).sort()).toEqual(['dog', 'lion'])
    const analogy = await handlers['space.analogy'](
      { spaceId, a: 'car', b: 'cat', c: 'dog', k: 1 },
      ctx,
    )
    expect(analogy.indices).toEqual([3, 0, 1])
    expect(['bus', 'train']).toContain(analogy.results[0].word)
  })

  it('gives a metadata column as category codes', async () => {
    const { spaceId } = await handlers['space.open']({ source }, ctx)
    const column = await handlers['space.column']({ spaceId, column: 'kind' }, ctx)
    expect(column.categories).toEqual(['animal', 'vehicle', 'other'])
    expect(column.codes.slice(0, 7)).toEqual([0, 0, 0, 1, 1, 1, 2])
  })

  it('turns domain errors into typed API errors', async () => {
    const { spaceId } = await handlers['space.open']({ source }, ctx)
    const unknown = handlers['space.neighbours']({ spaceId, word: 'zebra', k: 3 }, ctx)
    await expect(unknown).rejects.toBeInstanceOf(ApiError)
    await expect(unknown).rejects.toMatchObject({ code: 'not_found' })
    const ragged = join(dir, 'ragged.tsv')
    writeFileSync(ragged, '1\t2\n3\n')
    await expect(
      handlers['space.open']({ source: { kind: 'tsv', vectorsPath: ragged } }, ctx),
    ).rejects.toMatchObject({ code: 'bad_request', message: expect.stringMatching(/line 2/) })
    await expect(handlers['space.open']({ source: { kind: 'model' } }, ctx)).rejects.toMatchObject({
      code: 'not_found',
      message: expect.stringMatching(/No model/),
    })
  })
})
