import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { exportGguf } from '../../../native-models/io/ggufExport'
import { writeFixtureModel } from '../../../native-models/io'
import { ModelEntry } from '../../contract/models'
import { createChatFixture, writeStubModelFolder } from '../chat/testing'

describe('ModelRegistry', () => {
  it('lists what the folder says: architecture, size, dtype, context, chat template', () => {
    const f = createChatFixture()
    const dir = writeStubModelFolder(path.join(f.dataDir, 'm1'), { temperature: 0.2 })
    const entry = f.registry.add(dir)
    expect(entry).toMatchObject({
      name: 'm1',
      architecture: 'LlamaForCausalLM',
      modelType: 'llama',
      sizeBytes: fs.statSync(path.join(dir, 'model.safetensors')).size,
      dtype: 'float32',
      contextLength: 4096,
      hasChatTemplate: true,
      quantization: 'none',
      missing: false,
    })
    // Adding the same folder again returns the same entry; the first one added is selected.
    expect(f.registry.add(dir).id).toBe(entry.id)
    expect(f.registry.selectedId()).toBe(entry.id)
    expect(f.registry.generationConfig(entry.id)).toEqual({ temperature: 0.2 })
  })

  it('renames a model: the list, a fresh registry and the path keep to it', () => {
    const f = createChatFixture()
    const entry = f.registry.add(writeStubModelFolder(path.join(f.dataDir, 'snap-abc123')))
    expect(f.registry.rename(entry.id, '  My tiny llama ')).toMatchObject({
      id: entry.id,
      name: 'My tiny llama',
      path: entry.path,
    })
    expect(f.registry.list().map((m) => m.name)).toEqual(['My tiny llama'])
    expect(createChatFixture({ dataDir: f.dataDir }).registry.get(entry.id).name).toBe(
      'My tiny llama',
    )
    expect(() => f.registry.rename(entry.id, '   ')).toThrow(/needs a name/)
    expect(() => f.registry.rename(999, 'x')).toThrow(/no model 999/)
  })

  it('lists the context the engine serves: a sliding window caps it', () => {
    const f = createChatFixture()
    const dir = writeStubModelFolder(path.join(f.dataDir, 'mistral'))
    const file = path.join(dir, 'config.json')
    const config = {
      ...JSON.parse(fs.readFileSync(file, 'utf8')),
      model_type: 'mistral',
      architectures: ['MistralForCausalLM'],
      max_position_embeddings: 32768,
      sliding_window: 4096,
    }
    fs.writeFileSync(file, JSON.stringify(config))
    expect(f.registry.add(dir).contextLength).toBe(4096)
  })

  it('adds a .gguf file as a model, read from its metadata', async () => {
    const f = createChatFixture()
    const dir = path.join(f.dataDir, 'hf')
    await writeFixtureModel(dir, { arch: 'qwen2' })
    const file = path.join(f.dataDir, 'tiny-q8_0.gguf')
    exportGguf(dir, file, 'q8_0')
    const entry = f.registry.add(file)
    expect(entry).toMatchObject({
      name: 'tiny-q8_0.gguf',
      modelType: 'qwen2',
      architecture: 'Qwen2ForCausalLM',
      sizeBytes: fs.statSync(file).size,
      dtype: expect.stringMatching(/^gguf .*q8_0/),
      hasChatTemplate: true,
      missing: false,
    })
    fs.writeFileSync(path.join(f.dataDir, 'broken.gguf'), 'GGUF')
    expect(() => f.registry.add(path.join(f.dataDir, 'broken.gguf'))).toThrow(
      /broken\.gguf: is truncated/,
    )
  })

  it('refuses a folder that is not a model, naming what is missing', () => {
    const f = createChatFixture()
    const empty = path.join(f.dataDir, 'empty')
    fs.mkdirSync(empty)
    expect(() => f.registry.add(empty)).toThrow(/config\.json/)
    expect(() => f.registry.add(path.join(f.dataDir, 'nope'))).toThrow(/not a folder/)
  })

  it('removing keeps the files unless deletion is confirmed twice', () => {
    const f = createChatFixture()
    const a = f.registry.add(writeStubModelFolder(path.join(f.dataDir, 'a')))
    const b = f.registry.add(writeStubModelFolder(path.join(f.dataDir, 'b')))
    expect(() => f.registry.remove(a.id, { deleteFiles: true })).toThrow(/second confirmation/)
    expect(f.registry.list()).toHaveLength(2)
    expect(f.registry.remove(a.id)).toEqual({ removed: true, filesDeleted: false })
    expect(fs.existsSync(a.path)).toBe(true)
    // The selection moves to a model that is still there.
    expect(f.registry.selectedId()).toBe(b.id)
    expect(f.registry.remove(b.id, { deleteFiles: true, confirmDeleteFiles: true })).toEqual({
      removed: true,
      filesDeleted: true,
    })
    expect(fs.existsSync(b.path)).toBe(false)
    expect(f.registry.selectedId()).toBeNull()
  })

  it('registers the shipped default model when its folder exists, and never deletes it', () => {
    const f = createChatFixture()
    expect(f.registry.registerDefault(path.join(f.dataDir, 'absent'))).toBeNull()
    const dir = writeStubModelFolder(path.join(f.dataDir, 'default'))
    const entry = f.registry.registerDefault(dir)!
    expect(entry.isDefault).toBe(true)
    expect(f.registry.registerDefault(dir)!.id).toBe(entry.id)
    expect(() =>
      f.registry.remove(entry.id, { deleteFiles: true, confirmDeleteFiles: true }),
    ).toThrow(/never deleted/)
    expect(fs.existsSync(dir)).toBe(true)
  })

  it('refuses a folder with corrupt weights, bad config values, wrong shapes or tokenizer', () => {
    const f = createChatFixture()
    let n = 0
    const stub = (edit: (dir: string) => void): string => {
      const dir = writeStubModelFolder(path.join(f.dataDir, `bad${n++}`))
      edit(dir)
      return dir
    }
    const setConfig = (dir: string, patch: object) => {
      const file = path.join(dir, 'config.json')
      const cfg = JSON.parse(fs.readFileSync(file, 'utf8'))
      fs.writeFileSync(file, JSON.stringify({ ...cfg, ...patch }))
    }
    const truncated = stub((d) => fs.truncateSync(path.join(d, 'model.safetensors'), 100))
    expect(() => f.registry.add(truncated)).toThrow(/model\.safetensors/)
    for (const bad of [0, -1, 100.5]) {
      const dir = stub((d) => setConfig(d, { max_position_embeddings: bad }))
      expect(() => f.registry.add(dir)).toThrow(
        new RegExp(`config\\.json: max_position_embeddings is ${bad}; it must be a whole number`),
      )
    }
    const shapes = stub((d) => setConfig(d, { intermediate_size: 24 }))
    expect(() => f.registry.add(shapes)).toThrow(
      /model\.safetensors: tensor model\.layers\.0\.mlp\.gate_proj\.weight has shape \[16,8\] but config\.json implies \[24,8\]/,
    )
    const tokenizer = stub((d) => fs.writeFileSync(path.join(d, 'tokenizer.json'), '{"model": 3}'))
    expect(() => f.registry.add(tokenizer)).toThrow(
      /tokenizer\.json: cannot be read as a tokenizer/,
    )
    const garbled = stub((d) => fs.writeFileSync(path.join(d, 'tokenizer.json'), '{ nope'))
    expect(() => f.registry.add(garbled)).toThrow(/tokenizer\.json/)
    // Nothing half-added: the list is as it was.
    expect(f.registry.list()).toHaveLength(0)
  })

  it('a bad row (context 0 from an older version) is listed as broken, not fatal', () => {
    const f = createChatFixture()
    const good = f.registry.add(writeStubModelFolder(path.join(f.dataDir, 'good')))
    const badDir = writeStubModelFolder(path.join(f.dataDir, 'bad'))
    const bad = f.registry.add(badDir)
    // What an older version stored for max_position_embeddings 0, and the folder as it is.
    f.db.prepare('UPDATE models SET context_length = 0 WHERE id = ?').run(bad.id)
    const cfgFile = path.join(badDir, 'config.json')
    const cfg = JSON.parse(fs.readFileSync(cfgFile, 'utf8'))
    fs.writeFileSync(cfgFile, JSON.stringify({ ...cfg, max_position_embeddings: 0 }))
    const list = f.registry.list()
    expect(list.map((m) => m.id)).toEqual([good.id, bad.id])
    expect(list[0].problem).toBeNull()
    expect(list[1].problem).toMatch(/config\.json: max_position_embeddings is 0/)
    // Each entry passes the contract, so models.list answers.
    for (const m of list) expect(ModelEntry.safeParse(m).success).toBe(true)
    expect(f.registry.remove(bad.id)).toEqual({ removed: true, filesDeleted: false })
    expect(f.registry.list()).toHaveLength(1)
  })
})
