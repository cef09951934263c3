import * as ort from 'onnxruntime-node'
import { onnx } from 'onnx-proto'

// Running ONNX graphs built in memory, and reading the static shape of every value in one.

export type Feeds = Record<string, ort.Tensor>

export function encodeModel(model: onnx.IModelProto): Uint8Array {
  return onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish()
}

export function cloneModel(model: onnx.IModelProto): onnx.ModelProto {
  return onnx.ModelProto.decode(encodeModel(model))
}

export async function createSession(
  model: onnx.IModelProto,
  options: ort.InferenceSession.SessionOptions = {},
): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(encodeModel(model), {
    graphOptimizationLevel: 'all',
    ...options,
  })
}

/** A graph output of a given element type and unknown shape. */
export function outputInfo(name: string, elemType: number): onnx.IValueInfoProto {
  return { name, type: { tensorType: { elemType } } }
}

/**
 * Static shapes of every value in `model` for these feeds: runs a copy of the graph once,
 * with a Shape node on every value as an extra output. The training graph is built for a
 * fixed batch shape, so autodiff can use these instead of an ONNX shape-inference pass.
 */
export async function probeShapes(
  model: onnx.IModelProto,
  feeds: Feeds,
): Promise<Map<string, number[]>> {
  const probe = cloneModel(model)
  const graph = probe.graph as onnx.GraphProto
  const shapes = new Map<string, number[]>()
  for (const t of graph.initializer ?? []) shapes.set(t.name!, (t.dims ?? []).map(Number))
  for (const [name, tensor] of Object.entries(feeds)) shapes.set(name, [...tensor.dims])
  const wanted: string[] = []
  for (const node of [...graph.node]) {
    for (const value of node.output ?? []) {
      if (!value || shapes.has(value)) continue
      const out = `probe/${value}`
      graph.node.push({ opType: 'Shape', input: [value], output: [out], name: out })
      graph.output.push(outputInfo(out, 7) as onnx.ValueInfoProto)
      wanted.push(value)
    }
  }
  const session = await createSession(probe, { graphOptimizationLevel: 'disabled' })
  try {
    const result = await session.run(
      feeds,
      wanted.map((v) => `probe/${v}`),
    )
    for (const v of wanted) {
      shapes.set(v, Array.from(result[`probe/${v}`].data as BigInt64Array, Number))
    }
  } finally {
    await session.release()
  }
  return shapes
}
