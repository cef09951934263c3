import {
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadModel, writeFixtureModel } from './index'

let root: string
let n = 0
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'glassbox-bad-'))
})
afterAll(() => rmSync(root, { recursive: true, force: true }))

async function fixture(): Promise<string> {
  const dir = join(root, `m${n++}`)
  await writeFixtureModel(dir, { arch: 'llama' })
  return dir
}

/** Rewrites model.safetensors' header through `edit`, keeping the data as it is. */
function editHeader(
  dir: string,
  edit: (h: Record<string, { dtype: string; shape: number[]; data_offsets: number[] }>) => void,
): void {
  const path = join(dir, 'model.safetensors')
  const buf = readFileSync(path)
  const len = Number(buf.readBigUInt64LE(0))
  const header = JSON.parse(buf.subarray(8, 8 + len).toString('utf8'))
  edit(header)
  const json = Buffer.from(JSON.stringify(header))
  const out = Buffer.alloc(8)
  out.writeBigUInt64LE(BigInt(json.length))
  writeFileSync(path, Buffer.concat([out, json, buf.subarray(8 + len)]))
}

/** The load fails with one line naming `file` and matching `problem`, and leaves no cache. */
async function expectClearError(dir: string, file: string, problem: RegExp): Promise<void> {
  const cacheDir = join(root, `cache${n++}`)
  const err = await loadModel(dir, { cacheDir, executionProvider: 'cpu' }).then(
    () => null,
    (e: Error) => e,
  )
  expect(err).toBeInstanceOf(Error)
  const msg = err!.message
  expect(msg).not.toContain('\n')
  expect(msg).toContain(file)
  expect(msg).toMatch(problem)
  const left = existsSync(cacheDir) ? readdirSync(cacheDir) : []
  expect(left).toEqual([])
}

describe('bad input: one clear line, no crash, no partial cache', () => {
  it('truncated safetensors', async () => {
    const dir = await fixture()
    const path = join(dir, 'model.safetensors')
    truncateSync(path, readFileSync(path).length - 1000)
    await expectClearError(dir, 'model.safetensors', /truncated/)
  })

  it('corrupt safetensors (garbage bytes)', async () => {
    const dir = await fixture()
    writeFileSync(
      join(dir, 'model.safetensors'),
      Buffer.from('this is not a safetensors file at all'),
    )
    await expectClearError(dir, 'model.safetensors', /truncated or corrupt|corrupt/)
  })

  it('a header that lies about offsets', async () => {
    const dir = await fixture()
    editHeader(dir, (h) => {
      h['model.norm.weight'].data_offsets[1] += 4
    })
    await expectClearError(dir, 'model.safetensors', /offsets .* model\.norm\.weight/)
  })

  it('overlapping tensors', async () => {
    const dir = await fixture()
    editHeader(dir, (h) => {
      const a = h['model.norm.weight']
      const b = h['model.layers.0.input_layernorm.weight']
      b.data_offsets = [a.data_offsets[0], a.data_offsets[1]]
    })
    await expectClearError(dir, 'model.safetensors', /overlap/)
  })

  it('an unsupported dtype', async () => {
    const dir = await fixture()
    editHeader(dir, (h) => {
      const e = h['model.norm.weight']
      e.dtype = 'I32'
    })
    await expectClearError(dir, 'model.safetensors', /unsupported dtype I32.*F32, F16, BF16/)
  })

  it('missing tokenizer.json', async () => {
    const dir = await fixture()
    rmSync(join(dir, 'tokenizer.json'))
    await expectClearError(dir, 'tokenizer.json', /missing/)
  })

  it('config shapes that do not match the weights', async () => {
    const dir = await fixture()
    const cfgPath = join(dir, 'config.json')
    const cfg = JSON.parse(readFileSync(cfgPath, 'utf8'))
    cfg.intermediate_size = 96
    writeFileSync(cfgPath, JSON.stringify(cfg))
    await expectClearError(
      dir,
      'model.safetensors',
      /gate_proj\.weight has shape \[128,64\] but config\.json implies \[96,64\]/,
    )
  })

  it('a missing tensor', async () => {
    const dir = await fixture()
    editHeader(dir, (h) => {
      delete h['model.norm.weight']
    })
    await expectClearError(dir, 'model.safetensors', /missing tensor model\.norm\.weight/)
  })

  it('an unsupported model_type names the supported ones', async () => {
    const dir = await fixture()
    const cfgPath = join(dir, 'config.json')
    writeFileSync(
      cfgPath,
      JSON.stringify({ ...JSON.parse(readFileSync(cfgPath, 'utf8')), model_type: 'bert' }),
    )
    await expectClearError(
      dir,
      'config.json',
      /model_type "bert" is not supported \(supported: gpt2, llama, qwen2, mistral, qwen3, gemma3_text, smollm3, phi3\)/,
    )
  })

  it('a path that is not a model folder', async () => {
    const empty = join(root, 'empty')
    rmSync(empty, { recursive: true, force: true })
    writeFileSync(join(root, 'file.txt'), 'hello')
    await expectClearError(join(root, 'file.txt'), 'file.txt', /not a model folder/)
    await expectClearError(join(root, 'nowhere'), 'nowhere', /does not exist/)
    const dir = await fixture()
    rmSync(join(dir, 'config.json'))
    await expectClearError(dir, dir, /not a model folder \(no config\.json\)/)
  })

  it('invalid config.json', async () => {
    const dir = await fixture()
    writeFileSync(join(dir, 'config.json'), '{ not json')
    await expectClearError(dir, 'config.json', /not valid JSON/)
  })
})
