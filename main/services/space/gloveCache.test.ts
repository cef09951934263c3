import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { spaceCommands } from '../../cli/spaceCommands'
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
