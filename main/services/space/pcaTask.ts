/** PCA over many points in a worker, so the host keeps answering while it runs (~1-2 s). */
import { pca, pcaKernel, type PcaResult } from './pca'
import { runWorkerTask, type TaskContext } from './workerTask'

// Below this many values the worker's start-up costs more than the work.
const WORKER_THRESHOLD = 2_000_000

interface PcaInput {
  kernel: string
  vectors: Float32Array
  dims: number
  components: number
}

/** Worker body: rebuilds the kernel from its source text and runs it. */
function runPcaKernel(input: PcaInput, _ctx: TaskContext): PcaResult {
  const kernel = (0, eval)(`(${input.kernel})`) as typeof pcaKernel
  return kernel().pca(input.vectors, input.dims, input.components)
}

export async function pcaOffThread(
  vectors: Float32Array,
  dims: number,
  components: number,
): Promise<PcaResult> {
  if (vectors.length < WORKER_THRESHOLD) return pca(vectors, dims, components)
  return runWorkerTask(runPcaKernel, {
    kernel: pcaKernel.toString(),
    vectors,
    dims,
    components,
  }).result
}
