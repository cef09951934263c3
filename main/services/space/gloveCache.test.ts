import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { spaceCommands } from '../../cli/spaceCommands'
import { buildGloveCache, loadGlove, type WordVectors } from './gloveCache'
import { NearestIndex } from './nearestIndex'
import { analogyQuery, neighboursOf, normalizeRows, row, type Scored } from './vectorMath'

// The real 341k GloVe vectors: the cache is built once for this file (in a worker, ~10 s) and
// every test reads it.
const dataDir = mkdtempSync(join(tmpdir(), 'glassbox-glove-'))
let glove: WordVectors
let unit: Float32Array
let nearest: NearestIndex
let index: Map<string, number>
const stages = new Set<string>()

beforeAll(async () => {
  const built = await buildGloveCache(dataDir, (stage) => stages.add(stage)).result
  expect(built).toEqual({ count: 341479, dims: 100 })
  glove = await loadGlove(dataDir)
  unit = normalizeRows(glove.vectors, glove.dims)
  nearest = await NearestIndex.create(unit, glove.dims)
  index = new Map(glove.words.map((w, i) => [w, i]))
})
afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

function words(result: { index: number }[]): string[] {
  return result.map((r) => glove.words[r.index])
}

// The app's path: onnxruntime's Gemm + TopK.
async function solve(a: string, b: string, c: string, k = 5): Promise<string[]> {
  const ids = [a, b, c].map((w) => index.get(w)!)
  const query = analogyQuery(unit, glove.dims, ids[0], ids[1], ids[2])
  return words(await nearest.topK(query, k, new Set(ids)))
}

/** Same rows in the same order, scores within 1e-5; rows may swap only where scores tie. */
function expectSameRanking(found: Scored[], reference: Scored[]): void {
  expect(found).toHaveLength(reference.length)
  found.forEach((r, i) => {
    expect(Math.abs(r.score - reference[i].score)).toBeLessThan(1e-5)
    if (r.index !== reference[i].index) {
      expect(Math.abs(r.score - reference[i].score)).toBeLessThan(1e-6)
    }
  })
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

  it('king − man + woman has queen in its top 5', async () => {
    expect(await solve('king', 'man', 'woman')).toContain('queen')
  })

  it('paris − france + italy has rome in its top 5', async () => {
    expect(await solve('paris', 'france', 'italy')).toContain('rome')
  })

  it('the nearest neighbours of "frog" are frog-like', async () => {
    const frog = index.get('frog')!
    const found = words(await nearest.topK(row(unit, glove.dims, frog), 10, new Set([frog])))
    const froglike = ['toad', 'frogs', 'lizard', 'snake', 'turtle', 'salamander', 'toads']
    expect(found.filter((w) => froglike.includes(w)).length).toBeGreaterThanOrEqual(3)
    expect(found).not.toContain('frog')
  })
})

describe('onnxruntime top-k against the JS loop on all 341k words', () => {
  it('finds the same words with the same scores (within 1e-5)', async () => {
    let same = 0
    for (let q = 0; q < 30; q++) {
      const r = (q * 7919) % glove.words.length // frequent and rare words alike
      const reference = neighboursOf(unit, glove.dims, r, 20)
      const found = await nearest.topK(row(unit, glove.dims, r), 20, new Set([r]))
      expectSameRanking(found, reference)
      if (found.every((x, i) => x.index === reference[i].index)) same++
    }
    expect(same).toBeGreaterThanOrEqual(29)
  })
})

describe('glassbox neighbours / analogy on the same cache', () => {
  async function cli(name: string, args: string[]): Promise<{ code: number; out: string }> {
    let out = ''
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      out += String(chunk)
      return true
    })
    try {
      const code = await spaceCommands[name].run([...args, '--data-dir', dataDir])
      return { code, out }
    } finally {
      spy.mockRestore()
    }
  }

  it('prints JSON [{word, score}] for neighbours and analogies', async () => {
    const near = await cli('neighbours', ['frog', '--k', '3'])
    expect(near.code).toBe(0)
    const list = JSON.parse(near.out) as { word: string; score: number }[]
    expect(list).toHaveLength(3)
    expect(list[0]).toEqual({ word: 'toad', score: expect.any(Number) })
    const analogy = await cli('analogy', ['king', 'man', 'woman', '--k', '5'])
    expect((JSON.parse(analogy.out) as { word: string }[]).map((r) => r.word)).toContain('queen')
  })

  it('fails with exit code 1 on an unknown word or bad --k', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true)
    try {
      expect((await cli('neighbours', ['qqqzzzx'])).code).toBe(1)
      expect((await cli('neighbours', ['frog', '--k', '0'])).code).toBe(1)
      expect(stderr).toHaveBeenCalledWith(expect.stringMatching(/not in this space/))
    } finally {
      stderr.mockRestore()
    }
  })
})
