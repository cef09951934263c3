// The main process never maps onnxruntime: chat, Inside and Space's work run in the compute
// child, each training run in a child of its own, which can be killed without harm.
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { CallContext } from '../contract/router'
import { createServices, type Services } from '.'
import { makeTempDir } from './store/testing/tempDir'
import { findDefaultModelDir } from './models/registry'
import { DEFAULT_SETTINGS } from './training/runSettings'

const modelDir = findDefaultModelDir()!
let temp: ReturnType<typeof makeTempDir>
let notes: string

const settings = {
  ...DEFAULT_SETTINGS,
  maxSteps: 12,
  batchSize: 2,
  seqLen: 32,
  checkpointEvery: 2,
  evalEvery: 4,
  threads: 1,
}

beforeEach(() => {
  temp = makeTempDir()
  notes = path.join(temp.dir, 'notes.txt')
  const line = 'And the river ran by the mill, and the miller sang of the river.\n'
  fs.writeFileSync(notes, line.repeat(120))
})

afterEach(() => temp.cleanup())

const ortMapped = (pid: number | 'self') =>
  /onnxruntime/.test(fs.readFileSync(`/proc/${pid}/maps`, 'utf8'))

async function until(what: string, ok: () => boolean, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}

describe('the main process', () => {
  it.runIf(process.platform === 'linux')(
    'keeps onnxruntime out of the main process while chatting, training and in Space',
    async () => {
      const services: Services = createServices({
        dataDir: path.join(temp.dir, 'data'),
        mode: 'browser',
      })
      const ctx: CallContext = { emit: () => {} }
      const call = async (method: string, input: unknown) => {
        const reply = await services.dispatch(method, input, ctx)
        if (!reply.ok) throw new Error(`${method}: ${reply.error.message}`)
        return reply.value as Record<string, unknown>
      }
      const events: Array<{ name: string; payload: Record<string, unknown> }> = []
      services.bus.on((name, payload) =>
        events.push({ name, payload: payload as Record<string, unknown> }),
      )
      try {
        const session = await call('sessions.create', {})
        const { runId } = await call('training.startRun', {
          modelDir,
          paths: [notes],
          // Long enough to be running still when the answer and the kill come.
          settings: { ...settings, maxSteps: 60 },
        })
        await until('training progress', () => events.some((e) => e.name === 'training.progress'))
        const answers = () => events.filter((e) => e.name === 'chat.finished')
        const ask = async () => {
          const before = answers().length
          const text = 'And God said'
          await call('chat.send', { sessionId: session.id, text, sampling: { maxTokens: 8 } })
          await until('the answer', () => answers().length > before)
          expect(answers().at(-1)!.payload.finishReason).not.toBe('error')
        }
        await ask()
        // Space's model source, PCA and nearest neighbours (onnxruntime's kernels) as well.
        const space = await call('space.open', { source: { kind: 'model' } })
        const projected = await call('space.project', {
          spaceId: space.spaceId,
          projection: { method: 'pca' },
        })
        expect(projected.count).toBe(space.count)
        const word = String(space.words).split('\n')[100]
        await call('space.neighbours', { spaceId: space.spaceId, word, k: 5 })
        expect(ortMapped('self')).toBe(false)
        // The run's process killed mid-run: chat still answers, the run resumes and finishes.
        const child = services.training.childOf(runId as number)!
        expect(ortMapped(child.pid!)).toBe(true)
        child.kill()
        await ask()
        await until('the run', () =>
          events.some(
            (e) =>
              e.name === 'training.status' &&
              e.payload.runId === runId &&
              e.payload.status === 'finished',
          ),
        )
        expect(ortMapped('self')).toBe(false)
      } finally {
        services.close()
      }
    },
  )
})
