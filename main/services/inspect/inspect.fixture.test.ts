import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadModel, writeFixtureModel } from '../../../native-models/io'
import type { LoadedModel } from '../../../native-models/runtime/types'
import { openDatabase } from '../store/database'
import { InspectionCache } from './cache'
import { createInspectHandlers } from './handlers'
import { localBackend } from './localInspector'

// The Inside view's promises, checked on real fixture models (random weights, HF layout)
// through the same handlers the app calls: what the view shows is what is tested.

const ctx = { emit: () => {} }
const TEXT = 'The cat sat on the mat because it was warm, and the dog watched it.'

/** Float64 softmax written out here, independent of the code under test. */
function referenceSoftmax(row: Float32Array): number[] {
  const max = row.reduce((m, v) => Math.max(m, v), -Infinity)
  const exps = Array.from(row, (v) => Math.exp(v - max))
  const sum = exps.reduce((a, b) => a + b, 0)
  return exps.map((e) => e / sum)
}

function decodeBase64F32(b64: string): Float32Array {
  const buf = Buffer.from(b64, 'base64')
  return new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength))
}

for (const arch of ['llama', 'gpt2'] as const) {
  describe(`Inside on a ${arch} fixture`, () => {
    let root: string
    let model: LoadedModel
    let db: Database.Database
    let handlers: ReturnType<typeof createInspectHandlers>

    beforeAll(async () => {
      root = fs.mkdtempSync(path.join(os.tmpdir(), `glassbox-inside-${arch}-`))
      const dir = path.join(root, 'model')
      await writeFixtureModel(dir, { arch, seed: 3 })
      model = await loadModel(dir)
      db = openDatabase(path.join(root, 'data', 'glassbox.db'))
      const cache = new InspectionCache(db, path.join(root, 'data'))
      handlers = createInspectHandlers({
        cache,
        backend: localBackend(async () => model),
        readMessage: () => null,
        resolveModel: () => ({ id: 1, name: `${arch} fixture` }),
      })
    })

    afterAll(async () => {
      await model?.dispose()
      db?.close()
      fs.rmSync(root, { recursive: true, force: true })
    })

    const inspect = () => handlers['inspect.text']({ text: TEXT, topK: 5 }, ctx)

    it('a text longer than the context is analysed a window at a time, not refused', async () => {
      const long = TEXT.repeat(30)
      const all = model.tokenizer.encode(long)
      const ctxLen = model.info.contextLength
      expect(all.length).toBeGreaterThan(ctxLen)
      const first = await handlers['inspect.text']({ text: long, topK: 5 }, ctx)
      expect(first).toMatchObject({ seqLen: ctxLen, windowStart: 0, windowLimit: ctxLen })
      expect(first.totalTokens).toBe(all.length)
      const later = await handlers['inspect.text']({ text: long, topK: 5, start: 100 }, ctx)
      expect(later.windowStart).toBe(100)
      expect(later.tokens.map((t) => t.id)).toEqual(all.slice(100, 100 + ctxLen))
      expect(later.key).not.toBe(first.key)
      // Past the end the window moves back so it stays full.
      const end = await handlers['inspect.text']({ text: long, topK: 5, start: 1e6 }, ctx)
      expect(end.windowStart).toBe(all.length - ctxLen)
      expect(end.seqLen).toBe(ctxLen)
    })

    it('shows causal attention whose rows sum to 1, in every layer and head', async () => {
      const found = await inspect()
      expect(found.seqLen).toBe(model.tokenizer.encode(TEXT).length)
      for (let layer = 0; layer < found.numLayers; layer++) {
        const r = await handlers['inspect.attention']({ key: found.key, layer }, ctx)
        const w = decodeBase64F32(r.weights)
        const n = r.seqLen
        expect(w.length).toBe(r.numHeads * n * n)
        for (let h = 0; h < r.numHeads; h++) {
          for (let q = 0; q < n; q++) {
            let sum = 0
            for (let k = 0; k < n; k++) {
              const v = w[(h * n + q) * n + k]
              if (k > q) expect(v).toBe(0)
              else expect(v).toBeGreaterThanOrEqual(0)
              sum += v
            }
            expect(sum).toBeCloseTo(1, 5)
          }
        }
      }
    })

    it('top-k bars equal the softmax of the logits', async () => {
      const found = await inspect()
      const ids = found.tokens.map((t) => t.id)
      const logits = await model.logits(ids)
      found.predictions.forEach((pred, p) => {
        const probs = referenceSoftmax(logits[p])
        const order = probs.map((_, i) => i).sort((a, b) => probs[b] - probs[a] || a - b)
        expect(pred.candidates.map((c) => c.id)).toEqual(order.slice(0, 5))
        pred.candidates.forEach((c) => expect(c.prob).toBeCloseTo(probs[c.id], 5))
        if (p + 1 < ids.length) {
          expect(pred.next?.id).toBe(ids[p + 1])
          expect(pred.next?.prob).toBeCloseTo(probs[ids[p + 1]], 5)
          expect(pred.next?.rank).toBe(order.indexOf(ids[p + 1]))
        } else expect(pred.next).toBeNull()
      })
    })

    it('the logit lens at the last layer equals the model logits', async () => {
      const found = await inspect()
      const ids = found.tokens.map((t) => t.id)
      const logits = await model.logits(ids)
      expect(found.lens.length).toBe(found.numLayers + 1)
      const last = found.lens[found.numLayers]
      last.forEach((cell, p) => {
        const probs = referenceSoftmax(logits[p])
        const best = probs.indexOf(Math.max(...probs))
        expect(cell.id).toBe(best)
        expect(cell.prob).toBeCloseTo(probs[best], 4)
      })
      // Earlier layers are real predictions too: probabilities in (0, 1].
      for (const row of found.lens) for (const c of row) expect(c.prob).toBeGreaterThan(0)
    })

    it('per-layer contributions: one norm per layer, split into attention and feed-forward', async () => {
      const found = await inspect()
      expect(found.contributions.map((c) => c.layer)).toEqual(
        Array.from({ length: found.numLayers }, (_, i) => i + 1),
      )
      for (const c of found.contributions) {
        expect(c.total).toBeGreaterThan(0)
        expect(c.perPosition.length).toBe(found.seqLen)
        // The block is h + Attn + FFN, so its update is at most the two halves' (triangle
        // inequality, per position and so in the mean).
        expect(c.attention).toBeGreaterThan(0)
        expect(c.feedForward).toBeGreaterThan(0)
        expect(c.total).toBeLessThanOrEqual(c.attention! + c.feedForward! + 1e-5)
      }
    })

    it('branching from an alternative produces text that starts with that token', async () => {
      const found = await inspect()
      const position = 3
      const prefix = found.tokens.slice(0, position + 1).map((t) => t.id)
      // The second-best candidate: a real alternative to what the model would pick.
      const alt = found.predictions[position].candidates[1]
      const r = await handlers['inspect.continue'](
        { ids: prefix, chosenTokenId: alt.id, maxTokens: 8 },
        ctx,
      )
      expect(r.ids[0]).toBe(alt.id)
      expect(r.chosenText.length).toBeGreaterThan(0)
      expect(r.text.startsWith(r.chosenText)).toBe(true)
      const full = model.tokenizer.decode([...prefix, ...r.ids], { skipSpecialTokens: false })
      expect(full).toBe(r.prefixText + r.text)
    })

    it('serves the second look from the cache', async () => {
      const first = await inspect()
      const again = await inspect()
      expect(again.cached).toBe(true)
      expect(again.key).toBe(first.key)
      expect(again.lens).toEqual(first.lens)
    })
  })
}
