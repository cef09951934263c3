import type { onnx } from 'onnx-proto'

// A float64 copy of a float32 graph, for finite-difference checks of whole training graphs:
// in float32, rounding swamps the differences of a deep graph; in float64 they are exact
// to ~1e-8.

function toDoubleTensor(t: onnx.ITensorProto): onnx.ITensorProto {
  if (t.dataType !== 1) return t
  let values: Float32Array
  if (t.rawData && t.rawData.length) {
    const raw = t.rawData
    values = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength))
  } else values = Float32Array.from(t.floatData ?? [])
  return {
    ...t,
    dataType: 11,
    floatData: [],
    rawData: new Uint8Array(Float64Array.from(values).buffer),
  }
}

function retypeValue(v: onnx.IValueInfoProto): void {
  if (v.type?.tensorType?.elemType === 1) v.type.tensorType.elemType = 11
}

/** Rewrites `graph` in place so every float32 tensor is float64. */
export function graphToFloat64(graph: onnx.IGraphProto): void {
  graph.initializer = (graph.initializer ?? []).map(toDoubleTensor)
  for (const v of [...(graph.input ?? []), ...(graph.output ?? []), ...(graph.valueInfo ?? [])]) {
    retypeValue(v)
  }
  for (const node of graph.node ?? []) {
    for (const a of node.attribute ?? []) {
      if (a.name === 'to' && Number(a.i) === 1) a.i = 11
      if (a.t) a.t = toDoubleTensor(a.t)
    }
  }
}
