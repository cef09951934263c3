/**
 * Streams Projector TSV files from disk: bounded (a row cap with a clear note instead of an
 * out-of-memory crash on a 10-million-row file) and progressive (progress per chunk, and the
 * event loop gets a turn between chunks so the app stays responsive).
 */
import { createReadStream, statSync } from 'node:fs'
import { StringDecoder } from 'node:string_decoder'
import { setImmediate as yieldToEventLoop } from 'node:timers/promises'
import {
  matchMetadata,
  MetadataTsvParser,
  TsvError,
  VectorsTsvParser,
  type Metadata,
} from './tsvFormat'

export const DEFAULT_MAX_ROWS = 500_000

export interface TsvImportResult {
  vectors: Float32Array
  dims: number
  rows: number
  labels: string[]
  metadata: Metadata
  truncated: boolean
  note: string | null
}

export interface TsvImportOptions {
  maxRows?: number
  onProgress?: (done: number, total: number) => void
}

/** Feeds each line of a file to `onLine` until it returns false; resolves with bytes read. */
async function forEachLine(
  path: string,
  onLine: (line: string) => boolean,
  onChunk: (bytesRead: number) => void,
): Promise<void> {
  const stream = createReadStream(path, { highWaterMark: 1 << 20 })
  const decoder = new StringDecoder('utf8')
  let rest = ''
  let bytes = 0
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      bytes += chunk.length
      const text = rest + decoder.write(chunk)
      const lines = text.split('\n')
      rest = lines.pop() ?? ''
      for (const line of lines) if (!onLine(line)) return
      onChunk(bytes)
      await yieldToEventLoop()
    }
    rest += decoder.end()
    if (rest !== '') onLine(rest)
  } finally {
    stream.destroy()
  }
}

export async function importProjectorTsv(
  vectorsPath: string,
  metadataPath: string | null,
  options: TsvImportOptions = {},
): Promise<TsvImportResult> {
  const maxRows = options.maxRows ?? DEFAULT_MAX_ROWS
  const total = statSync(vectorsPath).size + (metadataPath ? statSync(metadataPath).size : 0)
  const parser = new VectorsTsvParser()
  let truncated = false
  await forEachLine(
    vectorsPath,
    (line) => {
      if (parser.rows >= maxRows && line.trim() !== '') {
        truncated = true
        return false
      }
      parser.addLine(line)
      return true
    },
    (bytes) => options.onProgress?.(bytes, total),
  )
  if (parser.rows === 0) throw new TsvError(vectorsPath, 1, 'it holds no vectors.')
  const rows = parser.rows
  let metadata: Metadata = {
    columns: ['label'],
    values: [Array.from({ length: rows }, (_, i) => String(i))],
  }
  if (metadataPath) {
    const meta = new MetadataTsvParser()
    const vectorBytes = statSync(vectorsPath).size
    await forEachLine(
      metadataPath,
      (line) => {
        if (meta.rows >= rows + 1) return false // enough to detect a mismatch or cut
        meta.addLine(line)
        return true
      },
      (bytes) => options.onProgress?.(vectorBytes + bytes, total),
    )
    metadata = matchMetadata(meta.finish(), rows, truncated)
  }
  options.onProgress?.(total, total)
  return {
    vectors: parser.vectors(),
    dims: parser.dims,
    rows,
    labels: metadata.values[0],
    metadata,
    truncated,
    note: truncated
      ? `vectors.tsv has more than ${maxRows.toLocaleString('en')} rows; showing the first ${maxRows.toLocaleString('en')}.`
      : null,
  }
}
