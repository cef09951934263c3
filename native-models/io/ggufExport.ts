// Node side of GGUF export: reads a Hugging Face model folder (config.json, safetensors,
// tokenizer files) and streams the GGUF to disk tensor by tensor.

import { closeSync, existsSync, openSync, readFileSync, writeSync } from 'node:fs'
import { open, rename, rm } from 'node:fs/promises'
import { basename, join } from 'node:path'
import type { ExportType } from '../gguf/ggmlTypes'
import { ggufChunks } from '../gguf/ggufWriter'
import { hfToGguf, type HfModelSource } from '../gguf/hfToGguf'
import type { HfTokenizerJson } from '../gguf/tokenizerMetadata'
import { SafetensorsWeights } from './safetensors'

const readJson = <T>(file: string): T | undefined =>
  existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as T) : undefined

export function openHfModel(dir: string): HfModelSource {
  const config = readJson<Record<string, unknown>>(join(dir, 'config.json'))
  if (!config) throw new Error(`${dir} has no config.json`)
  // The model loader's reader: shards, dtypes and bad-file errors are handled once, there.
  const weights = new SafetensorsWeights(dir)
  return {
    config,
    shapes: new Map(weights.names().map((name) => [name, weights.entry(name).shape])),
    read: (name) => weights.f32(name),
    tokenizer: readJson<HfTokenizerJson>(join(dir, 'tokenizer.json')),
    tokenizerConfig: readJson<Record<string, unknown>>(join(dir, 'tokenizer_config.json')),
    name: basename(dir),
  }
}

export interface ExportResult {
  path: string
  bytes: number
  tensors: number
  seconds: number
}

export function exportGguf(modelDir: string, outPath: string, type: ExportType): ExportResult {
  const started = performance.now()
  const file = hfToGguf(openHfModel(modelDir), type)
  const fd = openSync(outPath, 'w')
  let bytes = 0
  try {
    for (const chunk of ggufChunks(file)) {
      writeSync(fd, chunk)
      bytes += chunk.length
    }
  } finally {
    closeSync(fd)
  }
  return {
    path: outPath,
    bytes,
    tensors: file.tensors.length,
    seconds: (performance.now() - started) / 1000,
  }
}

export interface ExportProgress {
  /** Tensors written so far, of `total`. */
  done: number
  total: number
}

export interface StreamingExportOptions {
  /** Replace a file already at outPath (otherwise the export refuses it). */
  overwrite?: boolean
  onProgress?: (progress: ExportProgress) => void
  signal?: AbortSignal
}

/**
 * exportGguf for a process that must keep answering meanwhile (the app's compute child):
 * asynchronous writes, one tensor converted at a time, progress per tensor. The file is
 * written as OUT.partial and renamed at the end, so a failed or cancelled export never
 * leaves a truncated GGUF that llama.cpp would try to load.
 */
export async function exportGgufStreaming(
  modelDir: string,
  outPath: string,
  type: ExportType,
  options: StreamingExportOptions = {},
): Promise<ExportResult> {
  const started = performance.now()
  if (!options.overwrite && existsSync(outPath)) throw new Error(`${outPath} already exists`)
  const file = hfToGguf(openHfModel(modelDir), type)
  const total = file.tensors.length
  const partial = `${outPath}.partial`
  const handle = await open(partial, 'w')
  let bytes = 0
  try {
    const progress = (index: number) => options.onProgress?.({ done: index + 1, total })
    for (const chunk of ggufChunks(file, progress)) {
      options.signal?.throwIfAborted()
      await handle.write(chunk)
      bytes += chunk.length
    }
    await handle.close()
    await rename(partial, outPath)
  } catch (error) {
    await handle.close().catch(() => {})
    await rm(partial, { force: true })
    throw error
  }
  return { path: outPath, bytes, tensors: total, seconds: (performance.now() - started) / 1000 }
}
