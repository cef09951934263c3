import { describe, expect, it } from 'vitest'
import { createLensHead, type HeadWeights } from './lensHead'

// The ort lens head against the norm + head written out in plain JavaScript (HF's RMSNorm
// and LayerNorm formulas), on random weights.

function reference(w: HeadWeights, hidden: Float32Array, positions: number) {
  const h = w.normWeight.length
  const vocab = w.head.length / h
  return Array.from({ length: positions }, (_, r) => {
    const row = Array.from(hidden.subarray(r * h, (r + 1) * h))
    const mean = w.norm === 'layer' ? row.reduce((a, b) => a + b, 0) / h : 0
    const variance = row.reduce((s, v) => s + (v - mean) ** 2, 0) / h
    const x = row.map(
      (v, i) =>
        ((v - mean) / Math.sqrt(variance + w.eps)) * w.normWeight[i] + (w.normBias?.[i] ?? 0),
    )
    const logits = Array.from({ length: vocab }, (_, v) =>
      x.reduce((s, xi, i) => s + xi * w.head[v * h + i], 0),
    )
    const max = Math.max(...logits)
    const sum = logits.reduce((s, l) => s + Math.exp(l - max), 0)
    return { id: logits.indexOf(max), prob: 1 / sum }
  })
}

const wave = (n: number, f: number, scale = 1) =>
  Float32Array.from({ length: n }, (_, i) => Math.sin(i * f + 0.3) * scale)

describe('createLensHead', () => {
  for (const norm of ['rms', 'layer'] as const) {
    it(`matches a plain ${norm}-norm + head`, async () => {
      const h = 16
      const vocab = 97
      const w: HeadWeights = {
        norm,
        normWeight: wave(h, 0.7, 1.5),
        normBias: norm === 'layer' ? wave(h, 1.1, 0.2) : undefined,
        eps: 1e-5,
        head: wave(vocab * h, 0.37),
      }
      const hidden = wave(5 * h, 1.9, 3)
      const lens = await createLensHead(w)
      const got = await lens(hidden, 5)
      const want = reference(w, hidden, 5)
      expect(got.ids).toEqual(want.map((r) => r.id))
      got.probs.forEach((p, i) => expect(p).toBeCloseTo(want[i].prob, 5))
    })
  }
})
