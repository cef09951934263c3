import { GraphBuilder, toModelProto } from '../onnx'
import type { onnx } from 'onnx-proto'

// A tiny language model built with the shared GraphBuilder for training tests that must not
// wait on the full architectures: embedding, RMSNorm, a causal mixing step, a SwiGLU MLP
// and a tied LM head, so the loss reaches every op type the architectures train through.

export function tinyLm(
  vocab = 11,
  hidden = 8,
  seed = 3,
): { model: onnx.IModelProto; trainable: string[] } {
  let s = seed
  const rand = (n: number, scale: number): Float32Array =>
    Float32Array.from({ length: n }, () => {
      s = (s * 1103515245 + 12345) % 2147483648
      return (s / 2147483648 - 0.5) * 2 * scale
    })
  const b = new GraphBuilder('tiny')
  const ids = b.input('input_ids', 'int64', ['batch', 'seq'])
  const emb = b.initializer('embed', 'float32', [vocab, hidden], rand(vocab * hidden, 0.5))
  const norm = b.initializer(
    'norm',
    'float32',
    [hidden],
    Float32Array.from({ length: hidden }, () => 1),
  )
  const gate = b.initializer(
    'gate',
    'float32',
    [hidden, 2 * hidden],
    rand(2 * hidden * hidden, 0.4),
  )
  const up = b.initializer('up', 'float32', [hidden, 2 * hidden], rand(2 * hidden * hidden, 0.4))
  const down = b.initializer(
    'down',
    'float32',
    [2 * hidden, hidden],
    rand(2 * hidden * hidden, 0.4),
  )
  const q = b.initializer('q', 'float32', [hidden, hidden], rand(hidden * hidden, 0.4))
  const x = b.gather(emb, ids)
  const h = b.rmsNorm(x, norm, 1e-5)
  // Causal self-attention with one head: softmax(qhᵀh / √d + mask) h.
  const scores = b.matMul(b.matMul(h, q), b.transpose(h, [0, 2, 1]))
  const seqLen = b.shape(ids, 1, 2)
  const pos = b.range(b.int(0), b.squeeze(seqLen, [0]), b.int(1))
  const future = b.greater(b.unsqueeze(pos, [0]), b.unsqueeze(pos, [1]))
  const masked = b.where(future, b.scalar(-1e9), b.mul(scores, b.scalar(1 / Math.sqrt(hidden))))
  const mixed = b.add(x, b.matMul(b.softmax(masked, -1), h))
  const mlp = b.matMul(b.mul(b.silu(b.matMul(mixed, gate)), b.matMul(mixed, up)), down)
  const out = b.add(mixed, mlp)
  b.output(b.matMul(out, b.transpose(emb, [1, 0])), 'logits')
  return { model: toModelProto(b).proto, trainable: ['embed', 'norm', 'gate', 'up', 'down', 'q'] }
}
