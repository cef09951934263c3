import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadModel, writeFixtureModel } from './index'

let root: string
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'glassbox-fixture-'))
})
afterAll(() => rmSync(root, { recursive: true, force: true }))

describe('fixture with the real Llama 3 tokenizer', () => {
  it('chat renders with BOS once, stops at <|eot_id|>, and runs', async () => {
    const dir = join(root, 'llama3')
    await writeFixtureModel(dir, { arch: 'llama', tokenizer: 'llama3' })
    const model = await loadModel(dir, { executionProvider: 'cpu', cacheDir: join(root, 'cache') })
    expect(model.info.vocabSize).toBe(128256)
    expect(model.info.bosTokenId).toBe(128000)
    expect(model.info.eosTokenIds).toContain(128009)
    expect(model.info.hasChatTemplate).toBe(true)
    const text = model.renderChat([{ role: 'user', content: 'Hello!' }], {
      addGenerationPrompt: true,
    })
    const ids = model.tokenizer.encode(text, { addSpecialTokens: false })
    expect(ids.filter((i) => i === 128000)).toHaveLength(1)
    const s = model.newSession()
    const logits = await s.prefill(ids)
    expect(logits).toHaveLength(128256)
    await model.dispose()
  })
})
