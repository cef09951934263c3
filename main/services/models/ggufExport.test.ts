import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ComputeClient } from '../../compute/client'
import { forkLauncher } from '../../compute/launcher'
import { parseGguf } from '../../../native-models/gguf/ggufReader'
import { exportGgufStreaming } from '../../../native-models/io/ggufExport'
import { writeFixtureModel } from '../../../native-models/io/fixture'
import { createChatFixture, type ChatFixture } from '../chat/testing'
import { computeExportRunner, GgufExporter, type GgufExportRunner } from './ggufExport'

// The same function the compute child runs, called in-process: what is tested here is the
// service's checks and the file it produces, not the child's message plumbing.
const inProcess: GgufExportRunner = (job, onProgress, signal) =>
  exportGgufStreaming(job.modelDir, job.outPath, job.type, {
    overwrite: job.overwrite,
    onProgress: (p) => onProgress(p.done, p.total),
    signal,
  })

describe('models.exportGguf', () => {
  let f: ChatFixture
  let exporter: GgufExporter
  let modelId = 0
  let modelDir = ''

  beforeAll(async () => {
    f = createChatFixture()
    modelDir = path.join(f.dataDir, 'tiny-gpt2')
    await writeFixtureModel(modelDir, { arch: 'gpt2', seed: 5 })
    modelId = f.registry.add(modelDir).id
    exporter = new GgufExporter(f.registry, f.bus, inProcess)
  })
  afterAll(() => f.db.close())

  it('writes a GGUF whose header names the architecture and every tensor', async () => {
    const outPath = path.join(modelDir, 'tiny-gpt2-q8_0.gguf')
    const result = await exporter.export({ id: modelId, outPath, type: 'q8_0' })
    const bytes = fs.readFileSync(outPath)
    const parsed = parseGguf(new Uint8Array(bytes))
    expect(parsed.metadata.get('general.architecture')).toBe('gpt2')
    expect(result).toMatchObject({ path: outPath, architecture: 'gpt2', type: 'q8_0' })
    expect(result.tensors).toBe(parsed.tensors.length)
    expect(result.tensors).toBeGreaterThan(0)
    expect(result.sizeBytes).toBe(bytes.length)
    expect(fs.existsSync(`${outPath}.partial`)).toBe(false)
    const progress = f.events.filter((e) => e.event === 'models.exportProgress')
    expect(progress.at(-1)?.payload).toEqual({
      id: modelId,
      done: result.tensors,
      total: result.tensors,
    })
  })

  it('refuses an existing file unless overwrite is set', async () => {
    const outPath = path.join(modelDir, 'again.gguf')
    fs.writeFileSync(outPath, 'keep me')
    await expect(exporter.export({ id: modelId, outPath, type: 'f16' })).rejects.toMatchObject({
      code: 'needs_confirmation',
    })
    expect(fs.readFileSync(outPath, 'utf8')).toBe('keep me')
    const result = await exporter.export({ id: modelId, outPath, type: 'f16', overwrite: true })
    expect(parseGguf(new Uint8Array(fs.readFileSync(outPath))).tensors).toHaveLength(result.tensors)
  })

  it('answers a bad output path before any work', async () => {
    const missing = path.join(f.dataDir, 'no-such-folder', 'm.gguf')
    await expect(
      exporter.export({ id: modelId, outPath: missing, type: 'f32' }),
    ).rejects.toMatchObject({ code: 'not_found', message: expect.stringMatching(/does not exist/) })
    await expect(
      exporter.export({ id: modelId, outPath: 'relative.gguf', type: 'f32' }),
    ).rejects.toMatchObject({ code: 'bad_request' })
    await expect(
      exporter.export({ id: modelId, outPath: f.dataDir, type: 'f32' }),
    ).rejects.toMatchObject({ code: 'bad_request' })
    await expect(
      exporter.export({ id: 999, outPath: path.join(f.dataDir, 'x.gguf'), type: 'f32' }),
    ).rejects.toMatchObject({ code: 'not_found' })
  })

  it('says which architectures it supports', async () => {
    const dir = path.join(f.dataDir, 'phi')
    await writeFixtureModel(dir, { arch: 'gpt2', seed: 1 })
    const config = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8'))
    fs.writeFileSync(
      path.join(dir, 'config.json'),
      JSON.stringify({ ...config, model_type: 'phi' }),
    )
    const id = f.registry.add(dir).id
    await expect(
      exporter.export({ id, outPath: path.join(dir, 'phi.gguf'), type: 'f16' }),
    ).rejects.toMatchObject({ code: 'unsupported', message: expect.stringMatching(/gpt2, llama/) })
  })

  it('runs in the compute child, as the app runs it, and relays its progress', async () => {
    const compute = new ComputeClient(forkLauncher())
    try {
      const inChild = new GgufExporter(f.registry, f.bus, computeExportRunner(compute))
      const outPath = path.join(modelDir, 'child-q4_0.gguf')
      const before = f.events.length
      const result = await inChild.export({ id: modelId, outPath, type: 'q4_0' })
      const parsed = parseGguf(new Uint8Array(fs.readFileSync(outPath)))
      expect(parsed.tensors).toHaveLength(result.tensors)
      const progress = f.events.slice(before).filter((e) => e.event === 'models.exportProgress')
      expect(progress).toHaveLength(result.tensors)
    } finally {
      compute.stop()
    }
  }, 60_000)

  it('cancels between two tensors and leaves no file', async () => {
    const outPath = path.join(f.dataDir, 'cancelled.gguf')
    let cancelling: GgufExporter | null = null
    const cancelAtThird: GgufExportRunner = (job, onProgress, signal) =>
      inProcess(
        job,
        (done, total) => {
          onProgress(done, total)
          if (done === 3) expect(cancelling!.cancel()).toEqual({ cancelled: true })
        },
        signal,
      )
    cancelling = new GgufExporter(f.registry, f.bus, cancelAtThird)
    expect(cancelling.cancel()).toEqual({ cancelled: false })
    await expect(cancelling.export({ id: modelId, outPath, type: 'f32' })).rejects.toMatchObject({
      message: expect.stringMatching(/cancelled/),
    })
    expect(fs.readdirSync(f.dataDir).filter((n) => n.startsWith('cancelled'))).toEqual([])
  })

  it('leaves no partial file when the export fails half-way', async () => {
    const outPath = path.join(f.dataDir, 'broken.gguf')
    const failing: GgufExportRunner = (job, onProgress) =>
      exportGgufStreaming(job.modelDir, job.outPath, job.type, {
        onProgress: ({ done, total }) => {
          onProgress(done, total)
          if (done === 2) throw new Error('disk full')
        },
      })
    const broken = new GgufExporter(f.registry, f.bus, failing)
    await expect(broken.export({ id: modelId, outPath, type: 'f32' })).rejects.toMatchObject({
      code: 'model_error',
      message: expect.stringMatching(/disk full/),
    })
    expect(fs.readdirSync(f.dataDir).filter((n) => n.startsWith('broken'))).toEqual([])
  })
})
