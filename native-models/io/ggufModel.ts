// A GGUF file as a model folder: its metadata becomes the config.json and tokenizer files
// a Hugging Face folder would hold, its tensors a WeightSource under HF names. Tensor data
// is read from the file by offset when a graph asks for that tensor (one at a time), so no
// second copy of the weights sits in JS beside the graph being built.

import { closeSync, fstatSync, openSync, readSync } from 'node:fs'
import { createHash } from 'node:crypto'
import { basename } from 'node:path'
import { parseConfig, type ArchConfig } from '../arch'
import { ModelFormatError, type TensorEntry, type WeightSource } from '../arch/weights'
import { dequantize } from '../gguf/dequantize'
import { GgmlType } from '../gguf/ggmlTypes'
import {
  GgufMetadata,
  ggufArchitectures,
  unpermuteHeads,
  type GgufArchitecture,
  type MappedTensor,
} from '../gguf/ggufArchitectures'
import { GgufFormatError, NeedMoreBytes, parseGguf, type GgufTensorInfo } from '../gguf/ggufReader'
import { type ParsedGguf } from '../gguf/ggufReader'
import { ggufTokenizer } from '../gguf/ggufTokenizer'
import { transpose } from '../gguf/hfToGguf'
import type { GgufTensorPath } from '../runtime/types'
import type { QuantizedMatrix } from '../quant/blockQuant'
import { ggmlBlocks, permuteBlockRows, runsAsBlocks } from '../quant/ggmlBlocks'

type Json = Record<string, unknown>

function withFile<T>(path: string, run: () => T): T {
  try {
    return run()
  } catch (e) {
    if (e instanceof GgufFormatError) throw new ModelFormatError(path, e.message)
    throw e
  }
}

function readHeader(path: string): { parsed: ParsedGguf; size: number } {
  let fd: number
  try {
    fd = openSync(path, 'r')
  } catch {
    throw new ModelFormatError(path, 'cannot be opened')
  }
  try {
    const size = fstatSync(fd).size
    let length = Math.min(size, 1 << 20)
    for (;;) {
      const buf = Buffer.alloc(length)
      readSync(fd, buf, 0, length, 0)
      try {
        return { parsed: parseGguf(buf, { fileSize: size }), size }
      } catch (e) {
        if (!(e instanceof NeedMoreBytes)) throw e
        length = Math.max(e.atLeast, length * 2)
      }
    }
  } finally {
    closeSync(fd)
  }
}

/** The tensors of one GGUF file under their HF names, dequantized on read. */
export class GgufWeights implements WeightSource {
  private readonly byHf = new Map<string, { info: GgufTensorInfo; map: MappedTensor }>()
  /** Tensors a graph has taken as blocks (for report()). */
  private readonly asBlocks = new Set<string>()

  constructor(
    readonly path: string,
    private readonly size: number,
    private readonly headerDigest: string,
    tensors: GgufTensorInfo[],
    arch: GgufArchitecture,
    config: Json,
  ) {
    for (const info of tensors) {
      const map = arch.tensor(info.name, config)
      if (map) this.byHf.set(map.hfName, { info, map })
    }
  }
  has(name: string): boolean {
    return this.byHf.has(name)
  }
  entry(name: string): TensorEntry {
    const t = this.byHf.get(name)
    if (!t) throw new ModelFormatError(this.path, `has no tensor for ${name}`)
    const shape = [...t.info.dims].reverse()
    const hfShape = t.map.transform === 'transpose' ? [shape[1], shape[0]] : shape
    const dtype =
      t.info.type === GgmlType.F16 ? 'F16' : t.info.type === GgmlType.BF16 ? 'BF16' : 'F32'
    return { name, dtype, shape: hfShape, file: this.path }
  }
  f32(name: string): Float32Array {
    this.entry(name)
    const { info, map } = this.byHf.get(name)!
    const data = readTensor(this.path, info)
    const [rows, cols] = [info.dims[1] ?? 1, info.dims[0]]
    if (map.transform === 'transpose') return transpose(data, rows, cols)
    if (map.transform === 'none') return data
    if ('shift' in map.transform) {
      const by = map.transform.shift
      return data.map((v) => v + by)
    }
    return unpermuteHeads(data, rows, map.transform.unpermuteHeads)
  }
  names(): string[] {
    return [...this.byHf.keys()]
  }
  /** Quantized matrices as MatMulNBits blocks ([out, in] as ggml stores them). */
  blocks(name: string): QuantizedMatrix | undefined {
    const t = this.byHf.get(name)
    if (!t || t.info.dims.length !== 2) return undefined
    const { info, map } = t
    if (!runsAsBlocks(info.type)) return undefined
    const bytes = readBytes(this.path, info)
    const [k, n] = info.dims
    let m = ggmlBlocks(info.type, bytes, n, k)
    if (typeof map.transform === 'object') {
      if (!('unpermuteHeads' in map.transform)) return undefined
      m = permuteBlockRows(m, map.transform.unpermuteHeads)
    }
    this.asBlocks.add(name)
    return m
  }
  /** The graph cache key's part: the header identifies layout and metadata, size the rest. */
  fingerprintParts(): string[] {
    return [`${basename(this.path)}:${this.size}:${this.headerDigest}`]
  }
  /** Bytes from the start, middle and end of the data (as safetensors' samples). */
  samples(): Uint8Array[] {
    const fd = openSync(this.path, 'r')
    try {
      return [0, Math.floor(this.size / 2), Math.max(0, this.size - 4096)].map((at) => {
        const buf = Buffer.alloc(Math.min(4096, this.size - at))
        readSync(fd, buf, 0, buf.length, at)
        return buf
      })
    } finally {
      closeSync(fd)
    }
  }
  /** Which tensors took which path, as far as graphs built so far have asked for them. */
  report(): GgufTensorPath[] {
    return [...this.byHf.values()].map(({ info, map }) => ({
      gguf: info.name,
      hf: map.hfName,
      type: GgmlType[info.type],
      path: this.asBlocks.has(map.hfName) ? 'blocks' : 'f32',
    }))
  }
}

function readBytes(path: string, info: GgufTensorInfo): Uint8Array {
  const fd = openSync(path, 'r')
  try {
    const buf = Buffer.alloc(info.byteLength)
    const got = readSync(fd, buf, 0, info.byteLength, info.offset)
    if (got !== info.byteLength) {
      throw new ModelFormatError(path, `is truncated: tensor ${info.name} is cut short`)
    }
    return buf
  } finally {
    closeSync(fd)
  }
}

function readTensor(path: string, info: GgufTensorInfo): Float32Array {
  const count = info.dims.reduce((a, b) => a * b, 1)
  return dequantize(info.type, readBytes(path, info), count)
}

export interface GgufModel {
  configJson: Json
  cfg: ArchConfig
  tokenizerJson: Json
  tokenizerConfig: Json
  generationConfig: Json
  weights: GgufWeights
}

/** Reads and checks a .gguf file; every problem is one line naming the file. */
export function readGgufModel(path: string): GgufModel {
  const { parsed, size } = withFile(path, () => readHeader(path))
  return withFile(path, () => {
    const archName = String(parsed.metadata.get('general.architecture') ?? '')
    const arch = ggufArchitectures[archName] as GgufArchitecture | undefined
    if (!arch) {
      throw new GgufFormatError(
        `architecture "${archName}" is not supported (supported: ${Object.keys(ggufArchitectures).join(', ')})`,
      )
    }
    const byName = new Map(parsed.tensors.map((t) => [t.name, t]))
    const shape = (name: string) => [...byName.get(name)!.dims].reverse()
    const access = {
      has: (name: string) => byName.has(name),
      shape,
      f32: (name: string) => {
        const t = byName.get(name)!
        return readTensor(path, t)
      },
    }
    const meta = new GgufMetadata(parsed.metadata, archName)
    const configJson = arch.config(meta, access)
    const tokenizer = ggufTokenizer(parsed.metadata)
    if (!tokenizer) throw new GgufFormatError('has no tokenizer (tokenizer.ggml.model is absent)')
    if (!byName.has('token_embd.weight')) throw new GgufFormatError('has no token_embd.weight')
    const embeddingRows = shape('token_embd.weight')[0]
    const declared = meta.optional('vocab_size')
    if (declared !== undefined && declared !== embeddingRows) {
      throw new GgufFormatError(
        `metadata ${archName}.vocab_size is ${declared} but token_embd.weight has ${embeddingRows} rows`,
      )
    }
    if (tokenizer.size !== embeddingRows) {
      throw new GgufFormatError(
        `tokenizer.ggml.tokens has ${tokenizer.size} tokens but token_embd.weight has ${embeddingRows} rows`,
      )
    }
    configJson.vocab_size = embeddingRows
    // What `info` and the Models list show as the dtype: the file's tensor types, most used first.
    const counts = new Map<string, number>()
    for (const t of parsed.tensors) {
      const type = GgmlType[t.type].toLowerCase()
      counts.set(type, (counts.get(type) ?? 0) + 1)
    }
    configJson.torch_dtype = `gguf ${[...counts]
      .sort((a, b) => b[1] - a[1])
      .map(([t]) => t)
      .join('+')}`
    const bos = parsed.metadata.get('tokenizer.ggml.bos_token_id')
    const eos = parsed.metadata.get('tokenizer.ggml.eos_token_id')
    if (typeof bos === 'number') configJson.bos_token_id = bos
    if (typeof eos === 'number') configJson.eos_token_id = eos
    for (const [name, want] of Object.entries(arch.expectedShapes(configJson))) {
      if (!byName.has(name)) continue
      const got = shape(name)
      if (got.length !== want.length || got.some((d, i) => d !== want[i])) {
        throw new GgufFormatError(
          `tensor ${name} has shape [${got}] but the metadata implies [${want}]`,
        )
      }
    }
    let cfg: ArchConfig
    try {
      cfg = parseConfig(configJson)
    } catch (e) {
      if (e instanceof ModelFormatError)
        throw new GgufFormatError(e.message.replace(/^config\.json: /, ''))
      throw e
    }
    const digest = createHash('sha256')
      .update(JSON.stringify(parsed.tensors))
      .update(JSON.stringify(configJson))
      .digest('hex')
      .slice(0, 16)
    const weights = new GgufWeights(path, size, digest, parsed.tensors, arch, configJson)
    const unused = parsed.tensors.filter(
      (t) => !arch.tensor(t.name, configJson) && !arch.consumed?.includes(t.name),
    )
    if (unused.length) {
      throw new GgufFormatError(
        `has tensors the ${archName} graph does not use: ${unused
          .slice(0, 3)
          .map((t) => t.name)
          .join(', ')}${unused.length > 3 ? ', …' : ''}`,
      )
    }
    return {
      configJson,
      cfg,
      tokenizerJson: tokenizer.tokenizerJson,
      tokenizerConfig: tokenizer.tokenizerConfig,
      generationConfig: {},
      weights,
    }
  })
}

export const isGgufPath = (path: string): boolean => path.toLowerCase().endsWith('.gguf')
