// Reading onnxruntime's profile: a Chrome trace with one event per kernel run, named after its
// node, carrying the execution provider, the op type and the bytes the node read (its weights,
// parameter_size, and its other inputs, activation_size). Nodes are named by the graph
// builder's scopes ('/model/layers.3/self_attn/q_proj/MatMul'), so a profile says which layer
// and projection cost what, and where each ran.

interface TraceEvent {
  cat?: string
  name?: string
  dur?: number
  args?: {
    op_name?: string
    provider?: string
    parameter_size?: string | number
    activation_size?: string | number
  }
}

/** One kernel run: the node it ran, where, what it read and how long it took. */
export interface KernelRun {
  node: string
  opType: string
  provider: string
  bytes: number
  micros: number
}

const KERNEL = '_kernel_time'

/** Every kernel run in an onnxruntime profile, in order. */
export function kernelRuns(trace: unknown): KernelRun[] {
  if (!Array.isArray(trace)) throw new Error('not an onnxruntime profile (expected a JSON array)')
  const runs: KernelRun[] = []
  for (const e of trace as TraceEvent[]) {
    if (e.cat !== 'Node' || typeof e.name !== 'string' || !e.name.endsWith(KERNEL)) continue
    runs.push({
      node: e.name.slice(0, -KERNEL.length),
      opType: e.args?.op_name ?? 'unknown',
      provider: e.args?.provider ?? 'unknown',
      bytes: Number(e.args?.parameter_size ?? 0) + Number(e.args?.activation_size ?? 0),
      micros: e.dur ?? 0,
    })
  }
  return runs
}

export interface ScopeCost {
  scope: string
  /** Microseconds of kernel time, over every run in the profile. */
  micros: number
  kernels: number
}

/**
 * Kernel time per scope cut to `depth` parts ('/model/layers.3' at depth 2), largest first.
 * Nodes outside any scope are counted under '(unscoped)'.
 */
export function costByScope(trace: unknown, depth: number): ScopeCost[] {
  const totals = new Map<string, ScopeCost>()
  for (const run of kernelRuns(trace)) {
    const scope = run.node.startsWith('/')
      ? `/${run.node.slice(1).split('/').slice(0, depth).join('/')}`
      : '(unscoped)'
    const entry = totals.get(scope) ?? { scope, micros: 0, kernels: 0 }
    entry.micros += run.micros
    entry.kernels++
    totals.set(scope, entry)
  }
  return [...totals.values()].sort((a, b) => b.micros - a.micros)
}

export interface OpPlacement {
  opType: string
  /** Nodes of this op type per provider ('WebGpuExecutionProvider', 'CPUExecutionProvider'). */
  nodes: Record<string, number>
}

export interface ProductNode {
  /** The builder's scoped name ('/model/layers.0/attention/MatMul'). */
  name: string
  opType: string
  provider: string
  bytes: number
}

export interface PlacementReport {
  ops: OpPlacement[]
  /** Every matrix product that ran, with where. */
  products: ProductNode[]
  /** Bytes the matrix products read (weights and activations), per provider. */
  matmulBytes: Record<string, number>
  /** Share of the products' bytes on `provider`, 0–1. */
  matmulShare: number
}

const PRODUCTS = new Set([
  'MatMul',
  'MatMulNBits',
  'Gemm',
  'MatMulInteger',
  'FusedMatMul',
  'DynamicQuantizeMatMul',
  'MatMulIntegerToFloat',
  'QAttention',
])

/**
 * Where each node ran. The matmul share weighs each matrix product by the bytes it read: a
 * decode step's products are bound by what they read, so the share says how much of the
 * model's product work stayed on the provider, attention's products included.
 */
export function placementFromProfile(trace: unknown, provider: string): PlacementReport {
  // A node runs once per graph run: count each one once.
  const nodes = new Map(kernelRuns(trace).map((run) => [run.node, run]))
  const ops = new Map<string, Record<string, number>>()
  const matmulBytes: Record<string, number> = {}
  const products: ProductNode[] = []
  for (const n of nodes.values()) {
    const row = ops.get(n.opType) ?? {}
    row[n.provider] = (row[n.provider] ?? 0) + 1
    ops.set(n.opType, row)
    if (!PRODUCTS.has(n.opType)) continue
    matmulBytes[n.provider] = (matmulBytes[n.provider] ?? 0) + n.bytes
    products.push({ name: n.node, opType: n.opType, provider: n.provider, bytes: n.bytes })
  }
  const total = Object.values(matmulBytes).reduce((a, b) => a + b, 0)
  return {
    ops: [...ops].map(([opType, perProvider]) => ({ opType, nodes: perProvider })),
    products,
    matmulBytes,
    matmulShare: total ? (matmulBytes[provider] ?? 0) / total : 0,
  }
}

/** onnxruntime's provider names, from ours: webgpu → WebGpuExecutionProvider. */
export const ORT_PROVIDER_NAME: Record<string, string> = {
  cpu: 'CPUExecutionProvider',
  webgpu: 'WebGpuExecutionProvider',
  cuda: 'CUDAExecutionProvider',
  dml: 'DmlExecutionProvider',
  coreml: 'CoreMLExecutionProvider',
  tensorrt: 'TensorrtExecutionProvider',
}
