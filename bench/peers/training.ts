// Training side by side: one GPT-2-style model (6 layers, 384 wide, 6 heads, context 256),
// the same initial weights, batches and AdamW settings, trained for a fixed number of steps
// by Glassbox (ONNX training graph in onnxruntime-node) and by PyTorch on CPU.

import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { PhaseClock } from './phases'

export const trainingConfig = {
  model_type: 'gpt2',
  architectures: ['GPT2LMHeadModel'],
  n_embd: 384,
  n_layer: 6,
  n_head: 6,
  n_positions: 256,
  n_ctx: 256,
  n_inner: null,
  vocab_size: 256, // bytes: the data needs no tokenizer, and both sides see identical ids
  activation_function: 'gelu_new',
  layer_norm_epsilon: 1e-5,
  torch_dtype: 'float32',
}

export interface TrainingSpec {
  config: typeof trainingConfig
  /** Raw float32 blob; manifest: HF name → [offset in floats, shape] (Conv1D [in, out]). */
  weights: string
  manifest: Record<string, [number, number[]]>
  /** int32 token ids; step i trains on the i-th run of batch × (seq_len + 1) ids. */
  tokens: string
  batch: number
  seq_len: number
  steps: number
  lr: number
  adamw: { beta1: number; beta2: number; eps: number; weightDecay: number; maxGradNorm: number }
  threads: number
}

export interface TrainingResult {
  engine: string
  losses: number[]
  stepSeconds: number[]
  tokensPerSecond: number
  peakRssMiB: number
  buildSeconds?: number
}

/** GPT-2's initialization (std 0.02, LayerNorm 1/0, zero biases) from a fixed seed. */
function initialWeights(): Map<string, { shape: number[]; data: Float32Array }> {
  const { n_embd: d, n_layer, vocab_size, n_positions } = trainingConfig
  let s = 12345
  const uniform = () => ((s = (s * 1664525 + 1013904223) >>> 0) + 0.5) / 2 ** 32
  const normal = (n: number) =>
    Float32Array.from(
      { length: n },
      () => 0.02 * Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform()),
    )
  const out = new Map<string, { shape: number[]; data: Float32Array }>()
  const add = (name: string, shape: number[], kind: 'normal' | 'one' | 'zero') => {
    const n = shape.reduce((a, b) => a * b, 1)
    const data = kind === 'normal' ? normal(n) : new Float32Array(n).fill(kind === 'one' ? 1 : 0)
    out.set(name, { shape, data })
  }
  add('wte.weight', [vocab_size, d], 'normal')
  add('wpe.weight', [n_positions, d], 'normal')
  for (let i = 0; i < n_layer; i++) {
    const p = `h.${i}.`
    add(p + 'ln_1.weight', [d], 'one')
    add(p + 'ln_1.bias', [d], 'zero')
    add(p + 'attn.c_attn.weight', [d, 3 * d], 'normal')
    add(p + 'attn.c_attn.bias', [3 * d], 'zero')
    add(p + 'attn.c_proj.weight', [d, d], 'normal')
    add(p + 'attn.c_proj.bias', [d], 'zero')
    add(p + 'ln_2.weight', [d], 'one')
    add(p + 'ln_2.bias', [d], 'zero')
    add(p + 'mlp.c_fc.weight', [d, 4 * d], 'normal')
    add(p + 'mlp.c_fc.bias', [4 * d], 'zero')
    add(p + 'mlp.c_proj.weight', [4 * d, d], 'normal')
    add(p + 'mlp.c_proj.bias', [d], 'zero')
  }
  add('ln_f.weight', [d], 'one')
  add('ln_f.bias', [d], 'zero')
  return out
}

export function writeTrainingSpec(root: string, threads: number): { path: string; params: number } {
  mkdirSync(root, { recursive: true })
  const weights = initialWeights()
  const manifest: TrainingSpec['manifest'] = {}
  let offset = 0
  for (const [name, t] of weights) {
    manifest[name] = [offset, t.shape]
    offset += t.data.length
  }
  const blob = new Float32Array(offset)
  for (const [name, t] of weights) blob.set(t.data, manifest[name][0])
  const spec: TrainingSpec = {
    config: trainingConfig,
    weights: join(root, 'weights.f32'),
    manifest,
    tokens: join(root, 'tokens.i32'),
    batch: 4,
    seq_len: 256,
    steps: Number(process.env.BENCH_PEERS_STEPS ?? 8),
    lr: 1e-3,
    adamw: { beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0.1, maxGradNorm: 1 },
    threads,
  }
  // Public text that ships with the install (TypeScript's third-party notices), as bytes.
  const need = spec.steps * spec.batch * (spec.seq_len + 1)
  const text = readFileSync('node_modules/typescript/ThirdPartyNoticeText.txt')
  const tokens = Int32Array.from({ length: need }, (_, i) => text[i % text.length])
  writeFileSync(spec.weights, new Uint8Array(blob.buffer))
  writeFileSync(spec.tokens, new Uint8Array(tokens.buffer))
  const path = join(root, 'spec.json')
  writeFileSync(path, JSON.stringify(spec))
  return { path, params: offset }
}

/** Debian's python3-torch lives in /usr/bin/python3 (a pyenv python3 may shadow it). */
function findTorchPython(log: (line: string) => void): string | { skipped: string } {
  const candidates = ['/usr/bin/python3', 'python3']
  const hasTorch = (py: string) =>
    spawnSync(py, ['-c', 'import torch'], { encoding: 'utf8' }).status === 0
  for (const py of candidates) if (hasTorch(py)) return py
  const policy = spawnSync('apt-cache', ['policy', 'python3-torch'], { encoding: 'utf8' })
  const candidate = /Candidate:\s*(\S+)/.exec(policy.stdout ?? '')?.[1]
  if (!candidate || candidate === '(none)') return { skipped: 'apt has no python3-torch candidate' }
  log(`installing python3-torch ${candidate} with apt-get (once)...`)
  const install = spawnSync(
    'apt-get',
    ['install', '-y', '--no-install-recommends', 'python3-torch'],
    {
      encoding: 'utf8',
      timeout: 20 * 60_000,
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    },
  )
  if (install.status !== 0) {
    return {
      skipped: `apt-get install python3-torch failed: ${(install.stderr ?? '').trim().split('\n').at(-1)}`,
    }
  }
  for (const py of candidates) if (hasTorch(py)) return py
  return { skipped: 'python3-torch installed but torch does not import' }
}

function parseResult(stdout: string | null): TrainingResult | undefined {
  const line = (stdout ?? '').split('\n').find((l) => l.startsWith('RESULT '))
  return line ? (JSON.parse(line.slice('RESULT '.length)) as TrainingResult) : undefined
}

/**
 * Debian's python3-torch calls libblas.so.3, which is netlib's reference BLAS unless an
 * optimized one is installed: PyTorch would then be measured with naive matmuls (we saw
 * minutes per step). OpenBLAS registers itself as the preferred alternative.
 */
function ensureOptimizedBlas(log: (line: string) => void): string {
  const query = spawnSync('update-alternatives', ['--query', 'libblas.so.3-x86_64-linux-gnu'], {
    encoding: 'utf8',
  })
  const current = /^Value:\s*(\S+)/m.exec(query.stdout ?? '')?.[1] ?? 'unknown'
  if (!current.includes('/blas/')) return current
  log('PyTorch would use the reference BLAS: installing libopenblas0-pthread with apt-get...')
  const install = spawnSync(
    'apt-get',
    ['install', '-y', '--no-install-recommends', 'libopenblas0-pthread'],
    {
      encoding: 'utf8',
      timeout: 10 * 60_000,
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    },
  )
  return install.status === 0
    ? 'openblas-pthread (installed now)'
    : `${current} (OpenBLAS install failed)`
}

export async function training(opts: {
  threads: number
  gflops: number
  log: (line: string) => void
  clock: PhaseClock
}) {
  const { threads, gflops, log, clock } = opts
  const { path, params } = await clock.time('training: initial weights and batches', () =>
    writeTrainingSpec(join(process.cwd(), '.tmp/bench-peers/training'), threads),
  )
  const spec = JSON.parse(readFileSync(path, 'utf8')) as TrainingSpec
  const results: Record<string, TrainingResult | { error: string }> = {}

  log('training: Glassbox (ONNX training graph)...')
  const gb = await clock.time('training: glassbox (graph build + steps)', () =>
    spawnSync(process.execPath, ['--import', 'tsx', 'bench/peers/trainChild.ts', path], {
      encoding: 'utf8',
      timeout: 8 * 60_000,
      maxBuffer: 64 << 20,
    }),
  )
  results.glassbox = parseResult(gb.stdout) ?? {
    error: `exit ${gb.status}: ${(gb.stderr ?? '').trim().split('\n').slice(-4).join(' | ')}`,
  }

  const python = await clock.time('training: find PyTorch and its BLAS', () => findTorchPython(log))
  let blas: string | undefined
  if (typeof python === 'string') {
    blas = ensureOptimizedBlas(log)
    log(`training: PyTorch (${python}, BLAS ${blas})...`)
    const py = await clock.time('training: pytorch', () =>
      spawnSync(python, ['bench/peers/torchTrain.py', path], {
        encoding: 'utf8',
        timeout: 8 * 60_000,
        // Passive OpenMP waits: spinning workers starve each other on a shared machine.
        env: {
          ...process.env,
          OMP_WAIT_POLICY: 'PASSIVE',
          OPENBLAS_NUM_THREADS: String(threads),
        },
      }),
    )
    const last = py.stdout?.trim().split('\n').at(-1) ?? ''
    results.pytorch = parseResult(last.startsWith('{') ? `RESULT ${last}` : '') ?? {
      error: `exit ${py.status}: ${(py.stderr ?? '').trim().split('\n').slice(-4).join(' | ')}`,
    }
  } else {
    results.pytorch = { error: python.skipped }
  }

  // FLOPs per trained token ≈ 6 × weights in matmuls (forward 2, backward 4); the tied
  // embedding counts once, as the LM head; position embeddings are a lookup.
  const { n_embd: d, n_positions } = trainingConfig
  const matmulParams = params - n_positions * d
  const lines = ['engine          tokens/s   (% of MatMul bound)  peak RSS MiB   loss per step']
  for (const [name, r] of Object.entries(results)) {
    if ('error' in r) {
      lines.push(`${name.padEnd(15)} failed: ${r.error}`)
      continue
    }
    const fraction = (6 * matmulParams * r.tokensPerSecond) / (gflops * 1e9)
    lines.push(
      `${name.padEnd(15)} ${r.tokensPerSecond.toFixed(0).padStart(8)}   ${(fraction * 100).toFixed(0).padStart(6)}%              ` +
        `${r.peakRssMiB.toFixed(0).padStart(8)}       ${r.losses.map((l) => l.toFixed(4)).join(' ')}`,
    )
  }
  const g = results.glassbox
  const t = results.pytorch
  let agreement: Record<string, number> | undefined
  if (!('error' in g) && !('error' in t)) {
    const diffs = g.losses.map((l, i) => Math.abs(l - t.losses[i]))
    agreement = {
      maxAbsLossDiff: Math.max(...diffs),
      finalLossGlassbox: g.losses.at(-1)!,
      finalLossPytorch: t.losses.at(-1)!,
      tokensPerSecondRatio: g.tokensPerSecond / t.tokensPerSecond,
    }
    lines.push(
      `loss after ${spec.steps} steps: Glassbox ${agreement.finalLossGlassbox.toFixed(4)}, PyTorch ` +
        `${agreement.finalLossPytorch.toFixed(4)} (max |Δ| over steps ${agreement.maxAbsLossDiff.toExponential(1)}); ` +
        `tokens/s ratio Glassbox ÷ PyTorch ${agreement.tokensPerSecondRatio.toFixed(2)}`,
    )
  }
  console.log('\n' + lines.join('\n') + '\n')
  return {
    spec: { ...spec, manifest: undefined },
    matmulParams,
    blas,
    results,
    agreement,
    table: lines.join('\n'),
  }
}
