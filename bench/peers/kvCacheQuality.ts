// What a float16 KV cache changes: the same weights decoded token by token (teacher-forced)
// with a float32 and a float16 cache, max |Δlogit| and perplexity over the text.
//   npx tsx bench/peers/kvCacheQuality.ts [model dir] [tokens, at most the context]
// Default: the shipped default model (trained weights, unlike the bench's random ones) on
// a passage of its own corpus's style, at every quantization.

import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadModel } from '../../native-models/io/loadModel'
import { perplexity } from '../../native-models/runtime/quantReport'
import type { GraphQuantization, KvCacheType } from '../../native-models/arch'

const TEXT =
  'And it came to pass, when the people were gathered together in the field, that the elders of the city rose up and spake unto them, saying, Hear now the words which we have heard, and keep them in your hearts all the days of your life; for the land which ye go to possess is a land of hills and valleys, and drinketh water of the rain of heaven. '

async function decodeAll(
  dir: string,
  cacheDir: string,
  quantization: GraphQuantization,
  kvCache: KvCacheType,
  count: number,
): Promise<{ logits: Float32Array; ids: number[]; vocab: number }> {
  const model = await loadModel(dir, { executionProvider: 'cpu', cacheDir, quantization, kvCache })
  const ids = model.tokenizer
    .encode(TEXT.repeat(64))
    .slice(0, Math.min(count, model.info.contextLength))
  const vocab = model.info.vocabSize
  const logits = new Float32Array(ids.length * vocab)
  const s = model.newSession()
  logits.set(await s.prefill(ids.slice(0, 1)), 0)
  for (let t = 1; t < ids.length; t++) logits.set(await s.decode(ids[t]), t * vocab)
  await Promise.all([s.dispose(), model.dispose()])
  return { logits, ids, vocab }
}

async function main() {
  const dir = process.argv[2] ?? join(import.meta.dirname, '../../native-models/default')
  const count = Number(process.argv[3] ?? 4096)
  const cacheDir = mkdtempSync(join(tmpdir(), 'kv-quality-'))
  try {
    for (const q of ['none', 'int8', 'int4'] as const) {
      const a = await decodeAll(dir, cacheDir, q, 'float32', count)
      const b = await decodeAll(dir, cacheDir, q, 'float16', count)
      let worst = 0
      let flips = 0
      for (let t = 0; t < a.ids.length; t++) {
        const ra = a.logits.subarray(t * a.vocab, (t + 1) * a.vocab)
        const rb = b.logits.subarray(t * b.vocab, (t + 1) * b.vocab)
        for (let i = 0; i < a.vocab; i++) worst = Math.max(worst, Math.abs(ra[i] - rb[i]))
        if (ra.indexOf(Math.max(...ra)) !== rb.indexOf(Math.max(...rb))) flips++
      }
      const pa = perplexity(a.logits, a.ids, a.vocab)
      const pb = perplexity(b.logits, b.ids, b.vocab)
      console.log(
        `${q.padEnd(5)} ${a.ids.length} tokens: max |Δlogit| ${worst.toExponential(2)}, ` +
          `greedy picks changed ${flips}/${a.ids.length}, perplexity ${pa.toFixed(4)} → ${pb.toFixed(4)} ` +
          `(${(((pb - pa) / pa) * 100).toFixed(3)} %)`,
      )
    }
  } finally {
    rmSync(cacheDir, { recursive: true, force: true })
  }
}

void main()
