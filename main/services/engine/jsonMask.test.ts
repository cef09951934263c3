// Schema-constrained decoding: the grammar on its own, then 100 seeded generations on a
// random fixture model (which, unconstrained, writes noise) that all parse and validate.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Ajv from 'ajv'
import { beforeAll, describe, expect, it } from 'vitest'
import { loadModel, writeFixtureModel } from '../../../native-models/io'
import { Generator } from './generator'
import { canEnd, compileSchema, initialState, step, type GrammarState } from './jsonGrammar'
import { buildVocabulary, JsonConstraint } from './jsonMask'
import { toChatModel } from './modelAdapter'
import { defaultSamplingParams } from './sampling'
import type { ChatModel } from './types'

const schema = {
  type: 'object',
  properties: {
    name: { type: 'string', maxLength: 12 },
    age: { type: 'integer' },
    mood: { enum: ['happy', 'sad', 3] },
    tags: { type: 'array', items: { type: 'string', maxLength: 6 }, maxItems: 3 },
    address: {
      type: 'object',
      properties: { city: { type: 'string', maxLength: 8 }, zip: { type: ['number', 'null'] } },
      required: ['city'],
    },
    ok: { type: 'boolean' },
  },
  required: ['name', 'mood', 'address'],
}

function accepts(text: string, s: unknown): boolean {
  let state: GrammarState | null = initialState(compileSchema(s))
  for (const c of text) if (!(state = state && step(state, c))) return false
  return canEnd(state)
}

describe('the JSON grammar', () => {
  it('accepts compact JSON the schema allows and rejects what it does not', () => {
    const good = '{"name":"A\\"b","mood":3,"tags":["x"],"address":{"city":"P","zip":-1.5e3}}'
    expect(accepts(good, schema)).toBe(true)
    expect(accepts('{"name":"A","mood":"happy","address":{"city":"P"},"ok":true}', schema)).toBe(
      true,
    )
    expect(accepts('{"name":"A","mood":"glad","address":{"city":"P"}}', schema)).toBe(false)
    expect(accepts('{"name":"A","address":{"city":"P"}}', schema)).toBe(false)
    expect(accepts('{"name":"A","age":1.5,"mood":3,"address":{"city":"P"}}', schema)).toBe(false)
    expect(
      accepts('{"name":"A","mood":3,"tags":["a","b","c","d"],"address":{"city":"P"}}', schema),
    ).toBe(false)
    expect(accepts('{"a":[1,{"b":null}],"c":"d"}', null)).toBe(true)
    expect(accepts('[1]', null)).toBe(false)
    expect(accepts('12', { type: 'integer' })).toBe(true)
    expect(accepts('012', { type: 'integer' })).toBe(false)
  })

  it('names a keyword it cannot enforce', () => {
    expect(() => compileSchema({ type: 'string', pattern: 'a+' })).toThrow(/"pattern"/)
    expect(() =>
      compileSchema({ type: 'object', properties: { a: { type: 'string', format: 'date' } } }),
    ).toThrow(/schema\.properties\.a uses "format"/)
  })
})

describe('the token mask', () => {
  it('allows exactly the tokens whose whole text keeps the output valid, at every step', () => {
    const pieces = [
      ...Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)),
      '{"',
      '":"',
      '","',
      'name',
      'ab"',
      'x\\n',
      '"}',
      '12',
      '3,',
      '\uFFFD',
      '',
    ]
    const eos = pieces.length
    const vocab = buildVocabulary(eos + 1, (id) => pieces[id] ?? '')
    const constraint = new JsonConstraint(schema, vocab, [eos])
    const text = '{"name":"ab\\nc","age":12,"mood":"sad","address":{"city":"P"}}'
    let state: GrammarState = initialState(compileSchema(schema))
    for (const c of text) {
      const logits = new Float32Array(eos + 1)
      constraint.processor(logits)
      for (let id = 0; id < eos; id++) {
        let s: GrammarState | null = pieces[id] && !pieces[id].includes('\uFFFD') ? state : null
        for (const ch of pieces[id]) s = s && step(s, ch)
        expect(
          logits[id] > -Infinity,
          `${JSON.stringify(pieces[id])} after ${JSON.stringify(text.slice(0, text.indexOf(c)))}`,
        ).toBe(s !== null)
      }
      expect(logits[eos] > -Infinity).toBe(canEnd(state))
      constraint.accept(pieces.indexOf(c))
      state = step(state, c)!
    }
    expect(constraint.complete).toBe(true)
  })
})

describe('constrained generation on onnxruntime', () => {
  let model: ChatModel
  beforeAll(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glassbox-json-'))
    await writeFixtureModel(dir, { arch: 'llama', seed: 5 })
    model = toChatModel('fixture', await loadModel(dir))
  })

  it('100 seeded generations all parse and validate, nested objects, enums and arrays', async () => {
    const validate = new Ajv().compile(schema)
    const generator = new Generator(model)
    const seen = new Set<string>()
    let maskMs = 0
    let tokens = 0
    for (let seed = 0; seed < 100; seed++) {
      const result = await generator.generate(
        {
          cacheKey: 'json',
          mode: 'completion',
          systemPrompt: '',
          turns: [{ role: 'user', content: 'Person: ' }],
          params: { ...defaultSamplingParams, seed, maxTokens: 400, stop: [], temperature: 1 },
          json: { schema },
        },
        () => {},
      )
      expect(result.stats.finishReason, result.text).toBe('eos')
      const value: unknown = JSON.parse(result.text)
      expect(validate(value), `${result.text}: ${JSON.stringify(validate.errors)}`).toBe(true)
      seen.add(result.text)
      maskMs += result.stats.maskMs ?? 0
      tokens += result.stats.completionTokens
    }
    // Seeds make different values: the mask constrains, it does not pick.
    expect(seen.size).toBeGreaterThan(50)
    console.log(`schema mask: ${(maskMs / tokens).toFixed(3)} ms/token over ${tokens} tokens`)
  }, 120_000)
})
