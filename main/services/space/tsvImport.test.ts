import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { importProjectorTsv } from './tsvImport'

const dir = mkdtempSync(join(tmpdir(), 'glassbox-tsv-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function file(name: string, text: string): string {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}

describe('Embedding Projector TSV import', () => {
  it('reads vectors and a one-column metadata file without a header', async () => {
    const v = file('v1.tsv', '1\t2\t3\n4\t5\t6e-1\n-7\t.5\t9\n')
    const m = file('m1.tsv', 'cat\ndog\nbird\n')
    const result = await importProjectorTsv(v, m)
    expect(result.dims).toBe(3)
    expect(result.rows).toBe(3)
    expect(Array.from(result.vectors)).toEqual([1, 2, 3, 4, 5, Math.fround(0.6), -7, 0.5, 9])
    expect(result.labels).toEqual(['cat', 'dog', 'bird'])
    expect(result.truncated).toBe(false)
  })

  it('treats the first row of a several-column metadata file as the header', async () => {
    const v = file('v2.tsv', '1\t0\r\n0\t1\r\n')
    const m = file('m2.tsv', 'word\tpos\r\nrun\tverb\r\nhouse\tnoun\r\n')
    const result = await importProjectorTsv(v, m)
    expect(result.metadata.columns).toEqual(['word', 'pos'])
    expect(result.metadata.values[1]).toEqual(['verb', 'noun'])
    expect(result.labels).toEqual(['run', 'house'])
  })

  it('names the line of a ragged row', async () => {
    const v = file('ragged.tsv', '1\t2\t3\n4\t5\t6\n7\t8\n')
    await expect(importProjectorTsv(v, null)).rejects.toThrow(
      /vectors\.tsv, line 3: has 2 values, but the first vector has 3/,
    )
  })

  it('names the line and column of a value that is not a number', async () => {
    const v = file('nan.tsv', '1\t2\n3\tfour\n')
    await expect(importProjectorTsv(v, null)).rejects.toThrow(
      /vectors\.tsv, line 2: column 2 is "four", which is not a number/,
    )
  })

  it('refuses metadata whose row count differs from the vectors', async () => {
    const v = file('v3.tsv', '1\t2\n3\t4\n')
    const m = file('m3.tsv', 'a\nb\nc\n')
    await expect(importProjectorTsv(v, m)).rejects.toThrow(
      /3 rows of labels, but vectors\.tsv has 2/,
    )
  })

  it('caps a huge file at maxRows with a clear note and reports progress', async () => {
    const lines = Array.from({ length: 5000 }, (_, i) => `${i}\t${-i}`).join('\n')
    const v = file('big.tsv', lines)
    const m = file('bigm.tsv', Array.from({ length: 5000 }, (_, i) => `w${i}`).join('\n'))
    const progress: number[] = []
    const result = await importProjectorTsv(v, m, {
      maxRows: 1000,
      onProgress: (done) => progress.push(done),
    })
    expect(result.rows).toBe(1000)
    expect(result.truncated).toBe(true)
    expect(result.note).toMatch(/more than 1,000 rows; showing the first 1,000/)
    expect(result.labels).toHaveLength(1000)
    expect(result.labels[999]).toBe('w999')
    expect(progress.length).toBeGreaterThan(0)
  })

  it('refuses an empty vectors file', async () => {
    await expect(importProjectorTsv(file('empty.tsv', '\n\n'), null)).rejects.toThrow(/no vectors/)
  })
})
