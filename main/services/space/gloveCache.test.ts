import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildGloveCache, loadGlove, type WordVectors } from './gloveCache'
import { analogy, neighboursOf, normalizeRows } from './vectorMath'

// The real 341k GloVe vectors: the cache is built once for this file (in a worker, ~10 s) and
// every test reads it.
const dataDir = mkdtempSync(join(tmpdir(), 'glassbox-glove-'))
let glove: WordVectors
let unit: Float32Array
let index: Map<string, number>
const stages = new Set<string>()

beforeAll(async () => {
  const built = await buildGloveCache(dataDir, (stage) => stages.add(stage)).result
  expect(built).toEqual({ count: 341479, dims: 100 })
  glove = await loadGlove(dataDir)
  unit = normalizeRows(glove.vectors, glove.dims)
  index = new Map(glove.words.map((w, i) => [w, i]))
})
afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

function words(result: { index: number }[]): string[] {
  return result.map((r) => glove.words[r.index])
}

function solve(a: string, b: string, c: string, k = 5): string[] {
  const ids = [a, b, c].map((w) => index.get(w)!)
  return words(analogy(unit, glove.dims, ids[0], ids[1], ids[2], k))
}

describe('GloVe vectors from the binary cache', () => {
  it('holds every word in frequency order with the exact values of the package', () => {
    expect(glove.words.length).toBe(341479)
    expect(glove.words.slice(0, 3)).toEqual(['the', ',', '.'])
    // First values of "the" in the package's JSON.
    expect(glove.vectors[0]).toBeCloseTo(-0.038194, 6)
    expect(glove.vectors[1]).toBeCloseTo(-0.24487, 6)
    expect(stages.has('convert')).toBe(true)
  })

  it('king − man + woman has queen in its top 5', () => {
    expect(solve('king', 'man', 'woman')).toContain('queen')
  })

  it('paris − france + italy has rome in its top 5', () => {
    expect(solve('paris', 'france', 'italy')).toContain('rome')
  })

  it('the nearest neighbours of "frog" are frog-like', () => {
    const found = words(neighboursOf(unit, glove.dims, index.get('frog')!, 10))
    const froglike = ['toad', 'frogs', 'lizard', 'snake', 'turtle', 'salamander', 'toads']
    expect(found.filter((w) => froglike.includes(w)).length).toBeGreaterThanOrEqual(3)
    expect(found).not.toContain('frog')
  })
})
