import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { exportGguf } from '../../../native-models/io/ggufExport'
import { writeFixtureModel } from '../../../native-models/io'
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
      sizeBytes: 16,
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
    const config = {
      model_type: 'mistral',
      architectures: ['MistralForCausalLM'],
      hidden_size: 64,
      num_hidden_layers: 2,
      num_attention_heads: 4,
      intermediate_size: 128,
      vocab_size: 100,
      max_position_embeddings: 32768,
      sliding_window: 4096,
    }
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config))
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
})
