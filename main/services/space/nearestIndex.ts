/**
 * Cosine top-k over a loaded space on onnxruntime: one graph, Gemm(query, matrixᵀ) then TopK,
 * so the 341k scores never leave ort and only k results cross back into JS. The session is
 * made once per matrix; the matrix is fed on each run as a tensor made once over the JS
 * Float32Array (ort-node reads it in place: no 136 MB initializer to serialise, ~1 s and a
 * second copy saved at load, and measured as fast per query as an initializer).
 */
import { createSpaceSession, type OrtSession, type OrtTensor, type OnnxModule } from './ortSession'
import type { Scored } from './vectorMath'

export class NearestIndex {
  private constructor(
    private readonly onnx: OnnxModule,
    private readonly session: OrtSession,
    private readonly matrix: OrtTensor,
    readonly dims: number,
    readonly count: number,
  ) {}

  /** `unit`: row-major count × dims, rows already unit length (scores are then cosines). */
  static async create(unit: Float32Array, dims: number): Promise<NearestIndex> {
    const count = unit.length / dims
    const { onnx, session } = await createSpaceSession((o) => {
      const b = new o.GraphBuilder('nearest')
      const matrix = b.input('matrix', 'float32', ['rows', dims])
      const query = b.input('query', 'float32', [1, dims])
      const k = b.input('k', 'int64', [1])
      // Gemm with transB: MLAS's M = 1 path, ~5x faster than MatMul(matrix, query) (measured).
      const scores = b.op('Gemm', [query, matrix], { transB: o.attr.int(1) })[0]
      const [values, indices] = b.op(
        'TopK',
        [scores, k],
        {},
        { outputs: 2, name: 'top', dtypes: ['float32', 'int64'] },
      )
      b.output(values)
      b.output(indices)
      return b
    })
    const matrix = new onnx.ort.Tensor('float32', unit, [count, dims])
    return new NearestIndex(onnx, session, matrix, dims, count)
  }

  /**
   * The k rows with the highest dot product with `query`, best first, `exclude` left out.
   * TopK breaks ties by the lower index, as the JS reference (topKByDot) does.
   */
  async topK(
    query: Float32Array,
    k: number,
    exclude: ReadonlySet<number> = new Set(),
  ): Promise<Scored[]> {
    const asked = Math.min(k + exclude.size, this.count)
    if (asked <= 0) return []
    const { Tensor } = this.onnx.ort
    const out = await this.session.run({
      matrix: this.matrix,
      query: new Tensor('float32', Float32Array.from(query), [1, this.dims]),
      k: new Tensor('int64', BigInt64Array.of(BigInt(asked)), [1]),
    })
    const [valuesName, indicesName] = this.session.outputNames
    const values = out[valuesName].data as Float32Array
    const indices = out[indicesName].data as BigInt64Array
    const found: Scored[] = []
    for (let i = 0; i < indices.length && found.length < k; i++) {
      const index = Number(indices[i])
      if (!exclude.has(index)) found.push({ index, score: values[i] })
    }
    return found
  }
}
