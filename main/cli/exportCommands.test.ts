import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { GgmlType } from '../../native-models/gguf/ggmlTypes'
import { parseGguf } from '../../native-models/gguf/ggufReader'
import { tinyLlama } from '../../native-models/gguf/referenceLlama'
import { exportCommands } from './exportCommands'

/** A model folder as Hugging Face writes it: config.json, model.safetensors, tokenizer.json. */
function writeModelFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'glassbox-export-'))
  const { source, weights, config } = tinyLlama(3)
  const header: Record<string, unknown> = {}
  let offset = 0
  for (const [name, data] of weights) {
    header[name] = {
      dtype: 'F32',
      shape: source.shapes.get(name),
      data_offsets: [offset, offset + data.byteLength],
    }
    offset += data.byteLength
  }
  const json = Buffer.from(JSON.stringify(header))
  const length = Buffer.alloc(8)
  length.writeBigUInt64LE(BigInt(json.length))
  const blobs = [...weights.values()].map((w) => Buffer.from(w.buffer, w.byteOffset, w.byteLength))
  writeFileSync(join(dir, 'model.safetensors'), Buffer.concat([length, json, ...blobs]))
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config))
  writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(source.tokenizer))
  return dir
}

describe('glassbox export', () => {
  const dir = writeModelFolder()

  it('writes a q4_0 GGUF from a model folder', async () => {
    const out = join(dir, 'model-q4_0.gguf')
    const code = await exportCommands.export.run(['--model', dir, '--gguf', out, '--type', 'q4_0'])
    expect(code).toBe(0)
    const parsed = parseGguf(new Uint8Array(readFileSync(out)))
    expect(parsed.metadata.get('general.architecture')).toBe('llama')
    expect(parsed.tensors).toHaveLength(21)
    expect(parsed.tensors.find((t) => t.name === 'blk.0.attn_q.weight')?.type).toBe(GgmlType.Q4_0)
    expect((parsed.metadata.get('tokenizer.ggml.tokens') as string[]).length).toBe(288)
  })

  it('answers bad arguments with usage and exit code 2', async () => {
    expect(await exportCommands.export.run(['--model', dir])).toBe(2)
    expect(await exportCommands.export.run(['--model', dir, '--gguf', 'x', '--type', 'q5_k'])).toBe(
      2,
    )
    expect(await exportCommands.export.run(['--bogus'])).toBe(2)
  })

  it('reports a folder without weights as a failure', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'glassbox-export-empty-'))
    writeFileSync(join(empty, 'config.json'), '{"model_type":"llama"}')
    expect(
      await exportCommands.export.run(['--model', empty, '--gguf', join(empty, 'x.gguf')]),
    ).toBe(1)
  })
})
