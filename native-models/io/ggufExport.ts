// Node side of GGUF export: reads a Hugging Face model folder (config.json, safetensors,
// tokenizer files) and streams the GGUF to disk tensor by tensor.

import { closeSync, existsSync, openSync, readFileSync, readSync, writeSync } from 'node:fs'
import { basename, join } from 'node:path'
import type { ExportType } from '../gguf/ggmlTypes'
import { ggufChunks } from '../gguf/ggufWriter'
import { hfToGguf, type HfModelSource } from '../gguf/hfToGguf'
import type { HfTokenizerJson } from '../gguf/tokenizerMetadata'
import { f16BitsToF32 } from '../gguf/quantize'

interface SafetensorsEntry {
  dtype: string
  shape: number[]
  data_offsets: [number, number]
}

interface TensorLocation extends SafetensorsEntry {
  file: string
  dataStart: number
}

/** Index of every tensor in model.safetensors or its shards (model.safetensors.index.json). */
function indexSafetensors(dir: string): Map<string, TensorLocation> {
  const single = join(dir, 'model.safetensors')
  const indexFile = join(dir, 'model.safetensors.index.json')
  const files = existsSync(single)
    ? [single]
    : existsSync(indexFile)
      ? [
          ...new Set(
            Object.values(
              (
                JSON.parse(readFileSync(indexFile, 'utf8')) as {
                  weight_map: Record<string, string>
                }
              ).weight_map,
            ),
          ),
        ].map((f) => join(dir, f))
      : []
  if (!files.length) throw new Error(`${dir} has no model.safetensors`)
  const out = new Map<string, TensorLocation>()
  for (const file of files) {
    const fd = openSync(file, 'r')
    try {
      const lengthBytes = Buffer.alloc(8)
      readSync(fd, lengthBytes, 0, 8, 0)
      const headerLength = Number(lengthBytes.readBigUInt64LE(0))
      const header = Buffer.alloc(headerLength)
      readSync(fd, header, 0, headerLength, 8)
      const entries = JSON.parse(header.toString('utf8')) as Record<string, SafetensorsEntry>
      for (const [name, entry] of Object.entries(entries)) {
        if (name === '__metadata__') continue
        out.set(name, { ...entry, file, dataStart: 8 + headerLength })
      }
    } finally {
      closeSync(fd)
    }
  }
  return out
}

function readAsF32(t: TensorLocation): Float32Array {
  const [start, end] = t.data_offsets
  const bytes = Buffer.alloc(end - start)
  const fd = openSync(t.file, 'r')
  try {
    readSync(fd, bytes, 0, bytes.length, t.dataStart + start)
  } finally {
    closeSync(fd)
  }
  const count = t.shape.reduce((a, b) => a * b, 1)
  const out = new Float32Array(count)
  if (t.dtype === 'F32') {
    new Uint8Array(out.buffer).set(bytes)
  } else if (t.dtype === 'F16') {
    for (let i = 0; i < count; i++) out[i] = f16BitsToF32(bytes.readUInt16LE(i * 2))
  } else if (t.dtype === 'BF16') {
    const u32 = new Uint32Array(out.buffer)
    for (let i = 0; i < count; i++) u32[i] = bytes.readUInt16LE(i * 2) << 16
  } else {
    throw new Error(`GGUF export reads F32, F16 and BF16 weights, not ${t.dtype}`)
  }
  return out
}

const readJson = <T>(file: string): T | undefined =>
  existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as T) : undefined

export function openHfModel(dir: string): HfModelSource {
  const config = readJson<Record<string, unknown>>(join(dir, 'config.json'))
  if (!config) throw new Error(`${dir} has no config.json`)
  const index = indexSafetensors(dir)
  return {
    config,
    shapes: new Map([...index].map(([name, t]) => [name, t.shape])),
    read: (name) => readAsF32(index.get(name)!),
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
