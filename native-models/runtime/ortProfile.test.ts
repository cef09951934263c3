import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { GraphBuilder, serializeModel } from '../onnx'
import { ort } from '../onnx/session'
import { readProfile } from '../io/profile'
import { costByScope } from './ortProfile'

describe('costByScope', () => {
  it("sums onnxruntime's kernel times per layer from the builder's node names", async () => {
    const b = new GraphBuilder()
    let x = b.input('x', 'float32', [4, 16])
    for (let i = 0; i < 2; i++) {
      b.setScope(`/model/layers.${i}`)
      const w = b.initializer(`w${i}`, 'float32', [16, 16], new Float32Array(256).fill(0.01))
      x = b.inScope(`/model/layers.${i}/mlp/up_proj`, () => b.matMul(x, w))
      x = b.add(x, b.scalar(1))
    }
    b.setScope('')
    b.output(x, 'y')
    expect(b.nodes.map((n) => n.name)).toContain('/model/layers.1/mlp/up_proj/MatMul')
    expect(new Set(b.nodes.map((n) => n.name)).size).toBe(b.nodes.length)

    const dir = mkdtempSync(join(tmpdir(), 'gb-profile-'))
    try {
      const session = await ort.InferenceSession.create(serializeModel(b), {
        enableProfiling: true,
        profileFilePrefix: join(dir, 'run'),
        // Unoptimized, so each builder node runs as one kernel under its own name.
        graphOptimizationLevel: 'disabled',
      })
      const input = new ort.Tensor('float32', new Float32Array(64).fill(1), [4, 16])
      for (let r = 0; r < 3; r++) await session.run({ x: input })
      session.endProfiling()
      await session.release()
      const trace = readProfile(join(dir, 'run'))
      // The output's Identity is the one node outside the layers.
      const layers = costByScope(trace, 2).filter((l) => l.scope !== '(unscoped)')
      expect(layers.map((l) => l.scope).sort()).toEqual(['/model/layers.0', '/model/layers.1'])
      // Two kernels per layer (MatMul, Add), three runs each.
      for (const l of layers) expect(l.kernels).toBe(6)
      const projections = costByScope(trace, 4).map((l) => l.scope)
      expect(projections).toContain('/model/layers.0/mlp/up_proj')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('refuses what is not a profile', () => {
    expect(() => costByScope({ traceEvents: [] }, 2)).toThrow(/onnxruntime profile/)
  })
})
