// Fixture models whose config llama.cpp can express in GGUF, for the tests that compare a
// GGUF export with the HF folder it came from, or Glassbox with llama.cpp on one file.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { FixtureArch } from '../runtime/types'
import { writeFixtureModel } from './fixture'

type Json = Record<string, unknown>

export function patchConfig(dir: string, patch: Json): void {
  const file = join(dir, 'config.json')
  const config = JSON.parse(readFileSync(file, 'utf8')) as Json
  writeFileSync(file, JSON.stringify({ ...config, ...patch }, null, 2))
}

/**
 * The tiny fixture with what llama.cpp cannot express changed: Gemma's
 * query_pre_attn_scalar set to head_dim (llama.cpp scales scores by 1/√head_dim), Phi-3's
 * sliding window removed (llama.cpp disables Phi's). Phi-3's pretrained context is 4
 * tokens: llama.cpp picks longrope's long factors when its context (padded to at least
 * 256) exceeds it, Transformers when the sequence does, so with prompts of more than 4
 * tokens both use the long factors and attention_factor throughout. Other architectures
 * are left as they are.
 */
export async function llamaCppFixture(dir: string, arch: FixtureArch, seed = 5): Promise<void> {
  await writeFixtureModel(dir, { arch, preset: 'tiny', seed, longropeFrom: 4 })
  const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Json
  if (arch === 'gemma3') patchConfig(dir, { query_pre_attn_scalar: config.head_dim })
  if (arch === 'phi3') patchConfig(dir, { sliding_window: null })
}
