import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { listFolders } from './folderBrowser'

function tree() {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'glassbox-folders-')))
  const home = path.join(root, 'home')
  const hf = path.join(home, 'models', 'tiny')
  fs.mkdirSync(hf, { recursive: true })
  fs.writeFileSync(path.join(hf, 'config.json'), '{}')
  fs.writeFileSync(path.join(hf, 'model.safetensors'), '')
  const gguf = path.join(home, 'models', 'quantized')
  fs.mkdirSync(gguf)
  fs.writeFileSync(path.join(gguf, 'q4.GGUF'), '')
  fs.mkdirSync(path.join(home, 'models', 'notes'))
  fs.mkdirSync(path.join(home, '.hidden'))
  fs.writeFileSync(path.join(home, 'models', 'loose.gguf'), '')
  fs.writeFileSync(path.join(home, 'models', 'readme.txt'), '')
  fs.symlinkSync(hf, path.join(home, 'linked'))
  const libraries = {
    hfCache: path.join(home, '.cache', 'huggingface', 'hub'),
    lmStudio: [path.join(home, '.lmstudio', 'models')],
    ollama: path.join(home, '.ollama', 'models'),
  }
  fs.mkdirSync(libraries.lmStudio[0], { recursive: true })
  return { root, home, libraries }
}

describe('listFolders', () => {
  it('starts at home with the libraries that exist, and says which folders are models', () => {
    const { home, libraries } = tree()
    const top = listFolders(undefined, libraries, home)
    expect(top.path).toBe(home)
    expect(top.folders.map((f) => [f.name, f.model])).toEqual([
      ['linked', 'safetensors'],
      // loose.gguf lies in it.
      ['models', 'gguf'],
    ])
    expect(top.places).toEqual([
      { place: 'home', path: home },
      { place: 'lmstudio', path: libraries.lmStudio[0] },
    ])
    const models = listFolders(path.join(home, 'models'), libraries, home)
    expect(models.parent).toBe(home)
    expect(models.folders.map((f) => [f.name, f.model])).toEqual([
      ['notes', null],
      ['quantized', 'gguf'],
      ['tiny', 'safetensors'],
    ])
    expect(models.ggufFiles.map((f) => f.name)).toEqual(['loose.gguf'])
    expect(listFolders(path.join(home, 'models', 'tiny'), libraries, home).model).toBe(
      'safetensors',
    )
  })

  it('lists the folder a path resolves to, never beside it', () => {
    const { home, libraries } = tree()
    const viaDots = listFolders(path.join(home, 'models', 'notes', '..', '..'), libraries, home)
    expect(viaDots.path).toBe(home)
    const viaLink = listFolders(path.join(home, 'linked'), libraries, home)
    expect(viaLink.path).toBe(path.join(home, 'models', 'tiny'))
    for (const f of listFolders(path.join(home, 'models'), libraries, home).folders) {
      expect(path.dirname(f.path)).toBe(path.join(home, 'models'))
    }
  })

  it('names the problem: relative, missing, a file, unreadable', () => {
    const { home, libraries } = tree()
    expect(() => listFolders('models', libraries, home)).toThrow(/not an absolute/)
    expect(() => listFolders(path.join(home, 'nope'), libraries, home)).toThrow(
      /nope does not exist/,
    )
    expect(() => listFolders(path.join(home, 'models', 'readme.txt'), libraries, home)).toThrow(
      /is a file/,
    )
    const locked = path.join(home, 'locked')
    fs.mkdirSync(locked, { mode: 0o000 })
    // root reads anything; the check is only meaningful for a normal user.
    if (process.getuid?.() !== 0) {
      expect(() => listFolders(locked, libraries, home)).toThrow(/locked cannot be read/)
    }
  })
})
