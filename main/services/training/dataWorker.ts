import { parentPort, workerData } from 'node:worker_threads'
import { Tokenizer } from '@huggingface/tokenizers'
import { packDocuments, splitHeldOut } from '../../../native-models/training/packing'
import type { DataJob, DataResult } from './prepareData'
import { appendIds, textPieces } from './textPieces'

// Tokenizing megabytes of text is JS-heavy, so it runs here, off the thread that answers
// the UI (ARCHITECTURE.md, "Heavy work").

const job = workerData as DataJob
const tokenizer = new Tokenizer(job.tokenizerJson, job.tokenizerConfig)
const docs: number[][] = []
let done = 0
const total = job.texts.reduce((n, t) => n + t.length, 0)
for (const text of job.texts) {
  const ids: number[] = []
  for (const piece of textPieces(text)) {
    appendIds(ids, tokenizer.encode(piece, { add_special_tokens: false }).ids)
  }
  docs.push(ids)
  done += text.length
  parentPort!.postMessage({ type: 'progress', done, total })
}
const packed = packDocuments(docs, job.seqLen, job.eosId)
const { train, heldOut } = splitHeldOut(packed, job.heldOutFraction, job.seed)
const result: DataResult = { train, heldOut, tokens: docs.reduce((n, d) => n + d.length, 0) }
parentPort!.postMessage({ type: 'done', result }, [
  train.windows.buffer as ArrayBuffer,
  heldOut.windows.buffer as ArrayBuffer,
])
