// Float32 weights with a float32 or a float16 KV cache after a long prompt: prefill and
// decode rates and peak RSS, one process per run (the bench's long-context row, Glassbox
// only). Run each twice; the first builds the graph.
//   npx tsx bench/peers/kvCacheLong.ts .tmp/bench-peers/smollm2-135m float16|float32

import { readFileSync } from 'node:fs'
import { loadModel } from '../../native-models/io/loadModel'
import { benchGraphCache } from './glassboxEngine'
async function main() {
  const dir = process.argv[2]
  const kv = process.argv[3] as 'float32' | 'float16'
  const m = await loadModel(dir, {
    quantization: 'none',
    threads: 2,
    executionProvider: 'cpu',
    cacheDir: benchGraphCache(dir),
    kvCache: kv,
  })
  const s = m.newSession()
  const ids = Array.from({ length: 4096 }, (_, i) => (i * 7919 + 17) % m.info.vocabSize)
  let t = performance.now()
  await s.prefill(ids)
  const pre = 4096 / ((performance.now() - t) / 1000)
  t = performance.now()
  for (let i = 0; i < 64; i++) await s.decode(i + 5)
  const dec = 64 / ((performance.now() - t) / 1000)
  const hwm = Number(/^VmHWM:\s+(\d+)/m.exec(readFileSync('/proc/self/status', 'utf8'))![1]) / 1024
  console.log(
    `${kv}: prefill ${pre.toFixed(1)} tok/s, decode after 4096 ${dec.toFixed(1)} tok/s, peak RSS ${hwm.toFixed(0)} MiB`,
  )
}
void main()
