/**
 * The TensorFlow Embedding Projector's file formats, parsed line by line so a file can be
 * streamed: vectors.tsv (one vector per line, tab-separated numbers, no header) and
 * metadata.tsv (one column without header, or several columns with a header row).
 */

export class TsvError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    message: string,
  ) {
    super(`${file}, line ${line}: ${message}`)
    this.name = 'TsvError'
  }
}

// A plain decimal number, optionally with an exponent (what numpy.savetxt and the Projector write).
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/

/** Accumulates vectors.tsv rows into a growing Float32Array, checking every row. */
export class VectorsTsvParser {
  dims = 0
  rows = 0
  private line = 0
  private data = new Float32Array(1024)

  constructor(readonly file = 'vectors.tsv') {}

  /** Adds one line; blank lines are skipped (a trailing newline is common). */
  addLine(text: string): void {
    this.line++
    const trimmed = text.endsWith('\r') ? text.slice(0, -1) : text
    if (trimmed.trim() === '') return
    const cells = trimmed.split('\t')
    if (this.dims === 0) this.dims = cells.length
    else if (cells.length !== this.dims) {
      throw new TsvError(
        this.file,
        this.line,
        `has ${cells.length} values, but the first vector has ${this.dims}. Every row needs the same number of tab-separated values.`,
      )
    }
    const need = (this.rows + 1) * this.dims
    if (need > this.data.length) {
      const grown = new Float32Array(Math.max(need, this.data.length * 2))
      grown.set(this.data)
      this.data = grown
    }
    const base = this.rows * this.dims
    for (let c = 0; c < cells.length; c++) {
      const cell = cells[c].trim()
      if (!NUMBER.test(cell)) {
        throw new TsvError(
          this.file,
          this.line,
          `column ${c + 1} is "${cell.slice(0, 40)}", which is not a number.`,
        )
      }
      this.data[base + c] = Number(cell)
    }
    this.rows++
  }

  /** The parsed rows, trimmed to size (a view of the same memory when it fits exactly). */
  vectors(): Float32Array {
    return this.data.subarray(0, this.rows * this.dims)
  }
}

export interface Metadata {
  columns: string[]
  /** One array of values per column, each as long as the number of points. */
  values: string[][]
}

/** Accumulates metadata.tsv lines; the header rule is decided on the first line. */
export class MetadataTsvParser {
  private line = 0
  private columns: string[] | null = null
  private values: string[][] = []
  rows = 0

  constructor(readonly file = 'metadata.tsv') {}

  addLine(text: string): void {
    this.line++
    const trimmed = text.endsWith('\r') ? text.slice(0, -1) : text
    const cells = trimmed.split('\t')
    if (this.columns === null) {
      if (cells.length > 1) {
        // Several columns: the first row names them (the Projector's rule).
        this.columns = cells.map((c, i) => c.trim() || `column ${i + 1}`)
        this.values = this.columns.map(() => [])
        return
      }
      this.columns = ['label']
      this.values = [[]]
    }
    if (cells.length === 1 && trimmed === '' && this.columns.length > 1) return
    if (cells.length !== this.columns.length) {
      throw new TsvError(
        this.file,
        this.line,
        `has ${cells.length} columns, but the header has ${this.columns.length}.`,
      )
    }
    cells.forEach((cell, c) => this.values[c].push(cell))
    this.rows++
  }

  /** Removes a trailing empty row left by a final newline in a one-column file. */
  finish(): Metadata {
    if (!this.columns) return { columns: ['label'], values: [[]] }
    if (this.columns.length === 1) {
      const col = this.values[0]
      while (col.length > 0 && col[col.length - 1] === '') {
        col.pop()
        this.rows--
      }
    }
    return { columns: this.columns, values: this.values }
  }
}

/** Checks that metadata has one row per vector (after a cap cut both to the same length). */
export function matchMetadata(meta: Metadata, rows: number, truncated: boolean): Metadata {
  const have = meta.values[0]?.length ?? 0
  if (truncated && have >= rows) {
    return { columns: meta.columns, values: meta.values.map((v) => v.slice(0, rows)) }
  }
  if (have !== rows) {
    throw new TsvError(
      'metadata.tsv',
      have,
      `has ${have} rows of labels, but vectors.tsv has ${rows} vectors. They must match line for line.`,
    )
  }
  return meta
}
