// The browser-mode folder picker's server side: browsers cannot hand a page a path, so the
// host lists folders and the page walks them. Each listing is of one folder as its path
// resolves (symlinks and .. followed first), and only of its direct children.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { ApiError } from '../../contract/define'
import type { FolderEntry, FolderListing } from '../../contract/hub'
import type { ModelLibraries } from './discovery'

/** Whether a folder looks like a model: HF layout (config.json + safetensors) or GGUF files. */
export function looksLikeModel(names: string[]): FolderEntry['model'] {
  if (names.includes('config.json') && names.some((n) => n.endsWith('.safetensors'))) {
    return 'safetensors'
  }
  return names.some((n) => n.toLowerCase().endsWith('.gguf')) ? 'gguf' : null
}

function readNames(dir: string): string[] | null {
  try {
    return fs.readdirSync(dir)
  } catch {
    return null
  }
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory()
  } catch {
    return false
  }
}

export function listFolders(
  requested: string | undefined,
  libraries: ModelLibraries,
  home: string = os.homedir(),
): FolderListing {
  const asked = requested?.trim() || home
  if (!path.isAbsolute(asked)) {
    throw new ApiError('bad_request', `path: "${asked}" is not an absolute folder path.`)
  }
  let dir: string
  try {
    dir = fs.realpathSync(asked)
  } catch {
    throw new ApiError('not_found', `${asked} does not exist.`)
  }
  if (!isDir(dir)) throw new ApiError('bad_request', `${asked} is a file, not a folder.`)
  let entries: fs.Dirent[]
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true })
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    throw new ApiError(
      'unavailable',
      `${dir} cannot be read (${code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (code ?? 'error')}).`,
    )
  }
  const folders: FolderEntry[] = []
  const ggufFiles: FolderListing['ggufFiles'] = []
  for (const e of entries) {
    const full = path.join(dir, e.name)
    // A link to a folder is listed like one; following it is the next listing's realpath.
    const folder = e.isDirectory() || (e.isSymbolicLink() && isDir(full))
    if (folder) {
      // Hidden folders clutter home; the model libraries under them are offered as places.
      if (e.name.startsWith('.')) continue
      folders.push({ name: e.name, path: full, model: looksLikeModel(readNames(full) ?? []) })
    } else if (e.name.toLowerCase().endsWith('.gguf')) {
      ggufFiles.push({ name: e.name, path: full })
    }
  }
  const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name)
  const parent = path.dirname(dir)
  const places: FolderListing['places'] = [{ place: 'home', path: home }]
  const add = (place: FolderListing['places'][number]['place'], p: string) => {
    if (isDir(p)) places.push({ place, path: p })
  }
  add('hf-cache', libraries.hfCache)
  for (const p of libraries.lmStudio) add('lmstudio', p)
  add('ollama', libraries.ollama)
  return {
    path: dir,
    parent: parent === dir ? null : parent,
    model: looksLikeModel(entries.map((e) => e.name)),
    folders: folders.sort(byName),
    ggufFiles: ggufFiles.sort(byName),
    places,
  }
}
