// Inference side by side: the same fixture weights in Glassbox (onnxruntime-node) and in
// llama.cpp (node-llama-cpp, from our GGUF export), each engine in its own child process.

import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ExportType } from '../../native-models/gguf/ggmlTypes'
import { ggufChunks } from '../../native-models/gguf/ggufWriter'
import { hfToGguf } from '../../native-models/gguf/hfToGguf'
import { q4KMMix } from '../../native-models/gguf/kQuantize'
import { exportGguf, openHfModel } from '../../native-models/io/ggufExport'
import type { EngineRequest, EngineResult } from './engineChild'

export interface Fixture {
  label: string
  arch: 'llama' | 'gpt2' | 'qwen2'
  preset: 'smollm2-135m' | 'gpt2-small' | 'qwen2.5-0.5b'
  /** Glassbox formats to run (default: all of `formats`). */
  formats?: string[]
  /** Also the long-context rows (time to first token, decode after a long prompt). */
  long?: boolean
}

export const fixtures: Fixture[] = [
  { label: 'SmolLM2-135M', arch: 'llama', preset: 'smollm2-135m', long: true },
  { label: 'GPT-2 small', arch: 'gpt2', preset: 'gpt2-small' },
  // 494 M parameters: the quantized formats people run it in, and f32 for parity.
  {
    label: 'Qwen2.5-0.5B',
    arch: 'qwen2',
    preset: 'qwen2.5-0.5b',
    formats: ['f32', 'int8-acc4', 'int4-acc4'],
  },
]

/** The formats of the long-context rows: f32 and the fastest 4-bit one. */
export const longFormats = ['f32', 'int4-acc4']

/** Glassbox format ↔ the closest llama.cpp type, with bytes per weight for the decode bound. */
export const formats: { glassbox: string; gguf: ExportType; bytes: [number, number] }[] = [
  { glassbox: 'f32', gguf: 'f32', bytes: [4, 4] },
  // MatMulNBits blocks (128 at 4 bits: arch/common.ts INT4_BLOCK_SIZE) keep an f32 scale and
  // a uint8 zero point (two per byte); q8_0/q4_0 blocks of 32 keep one f16 scale. int8 has no
  // level-0 row: 8-bit weights always run with int8 activations (arch/common.ts, matrix).
  { glassbox: 'int4', gguf: 'q4_0', bytes: [68.5 / 128, 18 / 32] },
  // int8 activations, as llama.cpp's q8_0/q4_0 dot products take them, so these rows compare
  // like with like: int4 through MatMulNBits at accuracy_level 4, int8 per row through MLAS's
  // integer GEMM on weights with one f32 scale per output channel (arch/int8Gemm.ts).
  { glassbox: 'int8-acc4', gguf: 'q8_0', bytes: [1, 34 / 32] },
  { glassbox: 'int4-acc4', gguf: 'q4_0', bytes: [68.5 / 128, 18 / 32] },
]

export interface ModelShape {
  /** Weights that take part in matmuls (lm_head included, lookup-only embeddings not). */
  matmulParams: number
  vocab: number
}

/** From the safetensors header: what a token costs in FLOPs and weight bytes. */
export function modelShape(dir: string): ModelShape {
  const file = readFileSync(join(dir, 'model.safetensors'))
  const header = JSON.parse(
    file.subarray(8, 8 + Number(file.readBigUInt64LE(0))).toString(),
  ) as Record<string, { shape?: number[] }>
  const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<
    string,
    unknown
  >
  let matmulParams = 0
  for (const [name, t] of Object.entries(header)) {
    if (!t.shape || t.shape.length !== 2) continue
    if (name.endsWith('wpe.weight')) continue // position lookup
    const untiedEmbedding =
      name.endsWith('embed_tokens.weight') && config.tie_word_embeddings === false
    if (untiedEmbedding) continue // lookup only; lm_head.weight is counted instead
    matmulParams += t.shape[0] * t.shape[1]
  }
  return { matmulParams, vocab: Number(config.vocab_size) }
}

export function runEngine(request: EngineRequest): EngineResult | { error: string } {
  const child = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'bench/peers/engineChild.ts', '-'],
    {
      encoding: 'utf8',
      // A 4,096-token prompt on one busy core takes minutes.
      timeout: (request.long ? 20 : 6) * 60_000,
      maxBuffer: 64 << 20,
      input: JSON.stringify(request),
    },
  )
  const line = child.stdout?.split('\n').find((l) => l.startsWith('RESULT '))
  if (child.status !== 0 || !line) {
    const why = child.error?.message ?? child.stderr?.trim().split('\n').slice(-4).join(' | ')
    return { error: `exit ${child.status}: ${why}` }
  }
  return JSON.parse(line.slice(7)) as EngineResult
}

/** Deterministic token ids below `vocab` (a fixed LCG), the same for both engines. */
export function tokenIds(count: number, vocab: number, seed: number): number[] {
  let s = seed >>> 0
  return Array.from({ length: count }, () => (s = (s * 1664525 + 1013904223) >>> 0) % vocab)
}

export async function prepareFixture(root: string, fixture: Fixture): Promise<string> {
  const dir = join(root, fixture.preset)
  if (!existsSync(join(dir, 'model.safetensors'))) {
    mkdirSync(dir, { recursive: true })
    const { writeFixtureModel } = await import('../../native-models/io/fixture')
    await writeFixtureModel(dir, { arch: fixture.arch, preset: fixture.preset, seed: 1 })
  }
  return dir
}

/**
 * The "GGUF in" file: the fixture as llama.cpp's Q4_K_M mixes it (Q6_K for the head, attn_v
 * and ffn_down, Q4_K for the other matrices), written by our own k-quant writer. Both engines
 * run this one file; Glassbox dequantizes K-quant blocks to f32 on load.
 */
export function prepareQ4KM(dir: string): string {
  const path = join(dir, 'model-q4_k_m.gguf')
  if (!existsSync(path)) {
    const file = q4KMMix(hfToGguf(openHfModel(dir), 'f32'))
    writeFileSync(path, Buffer.concat([...ggufChunks(file)]))
  }
  return path
}

export function prepareGguf(dir: string, type: ExportType): string {
  const path = join(dir, `model-${type}.gguf`)
  if (!existsSync(path)) exportGguf(dir, path, type)
  return path
}
