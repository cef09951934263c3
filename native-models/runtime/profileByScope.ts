// Reads onnxruntime's profile (a Chrome trace: one event per kernel run, named after its node)
// and adds the kernel time up per node scope, so a profile says which layer and which
// projection cost what. Nodes are named by the graph builder's scopes
// ('/model/layers.3/self_attn/q_proj/MatMul').

interface TraceEvent {
  cat?: string
  name?: string
  dur?: number
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
  if (!Array.isArray(trace)) throw new Error('not an onnxruntime profile (expected a JSON array)')
  const totals = new Map<string, ScopeCost>()
  for (const e of trace as TraceEvent[]) {
    if (e.cat !== 'Node' || typeof e.name !== 'string' || !e.name.endsWith('_kernel_time')) continue
    const node = e.name.slice(0, -'_kernel_time'.length)
    const scope = node.startsWith('/')
      ? `/${node.slice(1).split('/').slice(0, depth).join('/')}`
      : '(unscoped)'
    const entry = totals.get(scope) ?? { scope, micros: 0, kernels: 0 }
    entry.micros += e.dur ?? 0
    entry.kernels++
    totals.set(scope, entry)
  }
  return [...totals.values()].sort((a, b) => b.micros - a.micros)
}
