// npm run bench -- training: training tokens/s and peak RSS for a GPT-2-style model
// (6 layers, 384 hidden, 6 heads, context 256, GPT-2's 50257-token vocabulary), full
// fine-tuning and LoRA rank 8. Each variant runs in its own process so peak RSS is its own.
import { execFileSync } from 'node:child_process'
import { MemoryWeights, parseConfig } from '../native-models/arch'
import { addLoraAdapters } from '../native-models/training/lora'
import { trainableForward } from '../native-models/training/modelTraining'
import { seededRandom } from '../native-models/training/packing'
import { Trainer } from '../native-models/training/trainer'
import { buildTrainingGraph } from '../native-models/training/trainingGraph'

const SHAPE = { layers: 6, hidden: 384, heads: 6, context: 256, vocab: 50257 }
const BATCH = 2
const STEPS = 3

function gpt2Weights() {
  const h = SHAPE.hidden
  const rand = seededRandom(7)
  const tensors = new Map<string, { shape: number[]; data: Float32Array }>()
  const add = (name: string, shape: number[], value?: number): void => {
    const n = shape.reduce((a, b) => a * b, 1)
    const data = new Float32Array(n)
    for (let i = 0; i < n; i++) data[i] = value ?? (rand() - 0.5) * 0.04
    tensors.set(name, { shape, data })
  }
  add('wte.weight', [SHAPE.vocab, h])
  add('wpe.weight', [SHAPE.context, h])
  for (let i = 0; i < SHAPE.layers; i++) {
    const p = `h.${i}`
    add(`${p}.ln_1.weight`, [h], 1)
    add(`${p}.ln_1.bias`, [h], 0)
    add(`${p}.attn.c_attn.weight`, [h, 3 * h])
    add(`${p}.attn.c_attn.bias`, [3 * h], 0)
    add(`${p}.attn.c_proj.weight`, [h, h])
    add(`${p}.attn.c_proj.bias`, [h], 0)
    add(`${p}.ln_2.weight`, [h], 1)
    add(`${p}.ln_2.bias`, [h], 0)
    add(`${p}.mlp.c_fc.weight`, [h, 4 * h])
    add(`${p}.mlp.c_fc.bias`, [4 * h], 0)
    add(`${p}.mlp.c_proj.weight`, [4 * h, h])
    add(`${p}.mlp.c_proj.bias`, [h], 0)
  }
  add('ln_f.weight', [h], 1)
  add('ln_f.bias', [h], 0)
  const cfg = parseConfig({
    model_type: 'gpt2',
    n_layer: SHAPE.layers,
    n_embd: h,
    n_head: SHAPE.heads,
    n_positions: SHAPE.context,
    vocab_size: SHAPE.vocab,
    eos_token_id: 50256,
  })
  return { cfg, weights: new MemoryWeights(tensors) }
}

/** One variant, in this process: prints one JSON line. */
async function measure(variant: 'full' | 'lora'): Promise<void> {
  const { cfg, weights } = gpt2Weights()
  const fwd = trainableForward(cfg, weights)
  const lora =
    variant === 'lora'
      ? addLoraAdapters(fwd.model, { rank: 8, alpha: 16, targets: ['c_attn', 'c_proj', 'c_fc'] })
      : null
  const T = SHAPE.context
  const t0 = performance.now()
  const graph = await buildTrainingGraph({
    forward: lora ? lora.model : fwd.model,
    inputIds: 'input_ids',
    logits: 'logits',
    vocabSize: SHAPE.vocab,
    batch: BATCH,
    seqLen: T,
    trainable: lora ? lora.trainable : fwd.weights,
    fixedInputs: fwd.fixedInputs(BATCH, T),
  })
  const trainer = await Trainer.create(graph, 'input_ids')
  const buildSeconds = (performance.now() - t0) / 1000
  const rand = seededRandom(1)
  const ids = (): BigInt64Array =>
    BigInt64Array.from({ length: BATCH * T }, () => BigInt(Math.floor(rand() * SHAPE.vocab)))
  const batch = () => ({
    inputIds: ids(),
    targets: ids(),
    lossMask: new Float32Array(BATCH * T).fill(1),
    batch: BATCH,
    seqLen: T,
  })
  await trainer.step([batch()], 1e-4) // warm-up: first-run allocations
  const t1 = performance.now()
  for (let s = 0; s < STEPS; s++) await trainer.step([batch()], 1e-4)
  const seconds = (performance.now() - t1) / 1000
  await trainer.release()
  const trainable = graph.initial.reduce((n, p) => n + p.length, 0)
  console.log(
    JSON.stringify({
      variant,
      trainableParameters: trainable,
      buildSeconds: Number(buildSeconds.toFixed(1)),
      tokensPerSecond: Math.round((STEPS * BATCH * T) / seconds),
      secondsPerStep: Number((seconds / STEPS).toFixed(2)),
      peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    }),
  )
}

export async function run(): Promise<Record<string, unknown>> {
  const rows: Record<string, unknown>[] = []
  for (const variant of ['full', 'lora'] as const) {
    const out = execFileSync(
      process.execPath,
      [...process.execArgv, __filename, '--variant', variant],
      { encoding: 'utf8', maxBuffer: 1 << 20 },
    )
    rows.push(JSON.parse(out.trim().split('\n').pop()!))
  }
  console.log(
    `GPT-2-style ${SHAPE.layers} layers, ${SHAPE.hidden} hidden, ${SHAPE.heads} heads, context ${SHAPE.context}, batch ${BATCH}`,
  )
  console.log('variant  trainable params  build s  tokens/s  s/step  peak RSS MiB')
  for (const r of rows) {
    console.log(
      `${String(r.variant).padEnd(8)} ${String(r.trainableParameters).padStart(16)} ${String(r.buildSeconds).padStart(8)} ${String(r.tokensPerSecond).padStart(9)} ${String(r.secondsPerStep).padStart(7)} ${String(r.peakRssMiB).padStart(13)}`,
    )
  }
  return { shape: SHAPE, batch: BATCH, steps: STEPS, rows }
}

const at = process.argv.indexOf('--variant')
if (at > 0) void measure(process.argv[at + 1] as 'full' | 'lora')
