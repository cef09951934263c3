import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeFixtureModel } from '../../../native-models/io'
import {
  defaultModelLibraries,
  discoverHfCache,
  discoverLmStudio,
  discoverModels,
  discoverOllama,
} from './discovery'
import { inspectModelFolder } from './inspect'

let root: string
let tiny: string
const commit = 'a'.repeat(40)

/** A snapshot laid out by hand the way huggingface_hub writes it. */
function handMadeCache(cache: string, repo: string): string {
  const repoDir = path.join(cache, `models--${repo.replace('/', '--')}`)
  const snap = path.join(repoDir, 'snapshots', commit)
  fs.mkdirSync(path.join(repoDir, 'blobs'), { recursive: true })
  fs.mkdirSync(snap, { recursive: true })
  for (const f of fs.readdirSync(tiny)) {
    const data = fs.readFileSync(path.join(tiny, f))
    const blob = crypto.createHash('sha256').update(data).digest('hex')
    fs.writeFileSync(path.join(repoDir, 'blobs', blob), data)
    fs.symlinkSync(path.join('..', '..', 'blobs', blob), path.join(snap, f))
  }
  fs.mkdirSync(path.join(repoDir, 'refs'))
  fs.writeFileSync(path.join(repoDir, 'refs', 'main'), commit)
  return snap
}

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'glassbox-discovery-'))
  tiny = path.join(root, 'tiny')
  await writeFixtureModel(tiny, { arch: 'llama' })
})

afterAll(() => fs.rmSync(root, { recursive: true, force: true }))

describe('models on disk', () => {
  it('reads back a HF cache laid out by hand, and registers the snapshot where it lies', () => {
    const cache = path.join(root, 'hf1')
    const snap = handMadeCache(cache, 'org/tiny')
    expect(discoverHfCache(cache)).toEqual([
      {
        source: 'hf-cache',
        name: 'org/tiny',
        path: snap,
        format: 'safetensors',
        sizeBytes: fs.statSync(path.join(tiny, 'model.safetensors')).size,
        runnable: true,
        reason: '',
      },
    ])
    expect(inspectModelFolder(snap)).toMatchObject({ modelType: 'llama' })
  })

  it('names a broken symlink and a ref to a missing snapshot, listing neither as runnable', () => {
    const cache = path.join(root, 'hf2')
    const snap = handMadeCache(cache, 'org/broken')
    const target = fs.readlinkSync(path.join(snap, 'model.safetensors'))
    fs.rmSync(path.resolve(snap, target))
    const gone = path.join(cache, 'models--org--gone')
    fs.mkdirSync(path.join(gone, 'refs'), { recursive: true })
    fs.writeFileSync(path.join(gone, 'refs', 'main'), 'b'.repeat(40))
    const found = discoverHfCache(cache)
    expect(found.map((f) => [f.name, f.runnable, f.reason])).toEqual([
      [
        'org/broken',
        false,
        'model.safetensors is a broken link (the file it points to is missing)',
      ],
      [
        'org/gone',
        false,
        'refs/main points at snapshot bbbbbbb, which is missing (an interrupted download or a partly deleted cache)',
      ],
    ])
  })

  it('lists LM Studio GGUF files as "runs after GGUF support" and checks its safetensors folders', () => {
    const lms = path.join(root, 'lmstudio')
    const gguf = path.join(lms, 'lmstudio-community', 'Qwen3-0.6B-GGUF')
    fs.mkdirSync(gguf, { recursive: true })
    fs.writeFileSync(path.join(gguf, 'Qwen3-0.6B-Q4_K_M.gguf'), 'GGUF')
    fs.cpSync(tiny, path.join(lms, 'me', 'tiny-mlx'), { recursive: true })
    expect(discoverLmStudio(lms).map((f) => [f.name, f.format, f.runnable, f.reason])).toEqual([
      [
        'lmstudio-community/Qwen3-0.6B-GGUF/Qwen3-0.6B-Q4_K_M.gguf',
        'gguf',
        false,
        'GGUF: runs after GGUF support',
      ],
      ['me/tiny-mlx', 'safetensors', true, ''],
    ])
  })

  it('reads Ollama manifests as name:tag and names a manifest whose blob is missing', () => {
    const store = path.join(root, 'ollama')
    const digest = `sha256:${'c'.repeat(64)}`
    const missing = `sha256:${'d'.repeat(64)}`
    const manifest = (model: string) =>
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
        config: { mediaType: 'application/vnd.docker.container.image.v1+json', digest, size: 2 },
        layers: [
          { mediaType: 'application/vnd.ollama.image.model', digest: model, size: 4 },
          { mediaType: 'application/vnd.ollama.image.template', digest, size: 2 },
        ],
      })
    const lib = path.join(store, 'manifests', 'registry.ollama.ai', 'library')
    fs.mkdirSync(path.join(lib, 'llama3.2'), { recursive: true })
    fs.mkdirSync(path.join(lib, 'qwen3'), { recursive: true })
    fs.writeFileSync(path.join(lib, 'llama3.2', '1b'), manifest(digest))
    fs.writeFileSync(path.join(lib, 'qwen3', 'latest'), manifest(missing))
    fs.mkdirSync(path.join(store, 'blobs'))
    fs.writeFileSync(path.join(store, 'blobs', `sha256-${'c'.repeat(64)}`), 'GGUF')
    expect(discoverOllama(store).map((f) => [f.name, f.sizeBytes, f.reason])).toEqual([
      ['llama3.2:1b', 4, 'GGUF: runs after GGUF support'],
      ['qwen3:latest', 0, `its manifest points at blob sha256-${'d'.repeat(64)}, which is missing`],
    ])
  })

  it('finds the libraries where each tool keeps them, and lists nothing for absent ones', () => {
    const libs = defaultModelLibraries({ HF_HOME: '/x/hf' }, '/home/u')
    expect(libs).toEqual({
      hfCache: '/x/hf/hub',
      lmStudio: ['/home/u/.lmstudio/models', '/home/u/.cache/lm-studio/models'],
      ollama: '/home/u/.ollama/models',
    })
    expect(defaultModelLibraries({ HF_HUB_CACHE: '/c', HF_HOME: '/x' }, '/h').hfCache).toBe('/c')
    expect(
      discoverModels({ hfCache: '/nonexistent', lmStudio: [], ollama: '/nonexistent' }),
    ).toEqual([])
  })
})
