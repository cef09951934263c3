// Where onnxruntime ran each node: read from its profile, whose kernel events carry the
// execution provider, the op type and the bytes the node read (its weights, parameter_size,
// and its other inputs, activation_size). The matmul share weighs each matrix product by
// those bytes: a decode step's products are bound by what they read, so the share says how
// much of the model's product work stayed on the provider, attention's products included.

interface NodeEvent {
  cat?: string
  name?: string
  args?: {
    op_name?: string
    provider?: string
    parameter_size?: string | number
    activation_size?: string | number
  }
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

/** Placement of each node that ran, from an onnxruntime profile (a JSON array of events). */
export function placementFromProfile(trace: unknown, provider: string): PlacementReport {
  if (!Array.isArray(trace)) throw new Error('not an onnxruntime profile (expected a JSON array)')
  // A node runs once per graph run: count each one once.
  const nodes = new Map<string, { op: string; provider: string; bytes: number }>()
  for (const e of trace as NodeEvent[]) {
    if (e.cat !== 'Node' || !e.name?.endsWith('_kernel_time') || !e.args?.op_name) continue
    nodes.set(e.name, {
      op: e.args.op_name,
      provider: e.args.provider ?? 'unknown',
      bytes: Number(e.args.parameter_size ?? 0) + Number(e.args.activation_size ?? 0),
    })
  }
  const ops = new Map<string, Record<string, number>>()
  const matmulBytes: Record<string, number> = {}
  const products: ProductNode[] = []
  for (const [event, n] of nodes) {
    const row = ops.get(n.op) ?? {}
    row[n.provider] = (row[n.provider] ?? 0) + 1
    ops.set(n.op, row)
    if (!PRODUCTS.has(n.op)) continue
    matmulBytes[n.provider] = (matmulBytes[n.provider] ?? 0) + n.bytes
    const name = event.slice(0, -'_kernel_time'.length)
    products.push({ name, opType: n.op, provider: n.provider, bytes: n.bytes })
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
