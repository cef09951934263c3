// The Learn views through the app's composition root, as the renderer calls them: word2vec
// trains and the feed-forward view reads the shipped model in the compute child, and the
// main process never maps onnxruntime.
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { CallContext } from '../../contract/router'
import { createServices } from '..'
import { makeTempDir } from '../store/testing/tempDir'

let temp: ReturnType<typeof makeTempDir>
beforeEach(() => (temp = makeTempDir()))
afterEach(() => temp.cleanup())

const ortMapped = (pid: number | 'self') =>
  /onnxruntime/.test(fs.readFileSync(`/proc/${pid}/maps`, 'utf8'))

describe('learn views in the app', () => {
  it.runIf(process.platform === 'linux')(
    'train word2vec and read a feed-forward layer in the compute child only',
    async () => {
      const services = createServices({ dataDir: path.join(temp.dir, 'data'), mode: 'browser' })
      const ctx: CallContext = { emit: () => {} }
      const steps: number[] = []
      services.bus.on((name, payload) => {
        if (name === 'word2vec.progress') {
          const p = payload as { fromStep: number; losses: number[] }
          p.losses.forEach((_, i) => steps.push(p.fromStep + i))
        }
      })
      try {
        const trained = await services.dispatch(
          'word2vec.train',
          { settings: { steps: 40, dims: 16 } },
          ctx,
        )
        expect(trained.ok).toBe(true)
        expect(steps).toEqual(Array.from({ length: 40 }, (_, i) => i + 1))
        const ffn = await services.dispatch(
          'feedForward.analyze',
          { text: 'And God said', layer: 2 },
          ctx,
        )
        if (!ffn.ok) throw new Error(ffn.error.message)
        const value = ffn.value as { neurons: unknown[]; numLayers: number; modelName: string }
        expect(value.neurons).toHaveLength(8)
        expect(value.numLayers).toBe(4)
        const bad = await services.dispatch('feedForward.analyze', { text: 'x', layer: 9 }, ctx)
        expect(bad).toMatchObject({ ok: false, error: { code: 'bad_request' } })
        expect(ortMapped('self')).toBe(false)
        expect(ortMapped(services.compute.pid!)).toBe(true)
      } finally {
        services.close()
      }
    },
    60_000,
  )
})
