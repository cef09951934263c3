import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadModel, writeFixtureModel } from './index'
import { SafetensorsWeights, writeModelWeights } from './safetensors'

let root: string
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'glassbox-st-'))
})
afterAll(() => rmSync(root, { recursive: true, force: true }))

const tensors = [
  { name: 'a', shape: [2, 3], data: Float32Array.from([1, -2, 0.5, 3.25, 1e-3, -65504]) },
  { name: 'b', shape: [3], data: Float32Array.from([0.1, 0.2, 0.3]) },
]

describe('safetensors', () => {
  it.each([
    ['F32', 0],
    ['F16', 1e-3],
    ['BF16', 1e-2],
  ] as const)('writes and reads %s', (dtype, tol) => {
    const dir = join(root, dtype)
    mkdirSync(dir, { recursive: true })
    writeModelWeights(dir, tensors, dtype)
    const buf = readFileSync(join(dir, 'model.safetensors'))
    const headerLen = Number(buf.readBigUInt64LE(0))
    expect((8 + headerLen) % 8).toBe(0) // data starts aligned
    const w = new SafetensorsWeights(dir)
    expect(w.entry('a')).toMatchObject({ dtype, shape: [2, 3] })
    for (const t of tensors) {
      const got = w.f32(t.name)
      t.data.forEach((v, i) =>
        expect(Math.abs(got[i] - v)).toBeLessThanOrEqual(Math.abs(v) * tol + 1e-7),
      )
    }
  })

  it('reads sharded checkpoints through model.safetensors.index.json', () => {
    const dir = join(root, 'sharded')
    mkdirSync(dir, { recursive: true })
    writeModelWeights(dir, tensors, 'F32', 2)
    expect(existsSync(join(dir, 'model.safetensors.index.json'))).toBe(true)
    expect(existsSync(join(dir, 'model-00002-of-00002.safetensors'))).toBe(true)
    const w = new SafetensorsWeights(dir)
    expect(w.names().sort()).toEqual(['a', 'b'])
    expect(Array.from(w.f32('b'))).toEqual(Array.from(tensors[1].data))
  })

  it('a bf16, sharded fixture loads and runs', async () => {
    const dir = join(root, 'bf16-model')
    await writeFixtureModel(dir, { arch: 'qwen2', dtype: 'bfloat16', shards: 3 })
    const model = await loadModel(dir, { executionProvider: 'cpu', cacheDir: join(root, 'cache') })
    expect(model.info.dtype).toBe('bfloat16')
    const logits = await model.logits(model.tokenizer.encode('hello'))
    expect(logits[0].every(Number.isFinite)).toBe(true)
    await model.dispose()
  })
})
