/**
 * The typed ONNX graph builder.
 *
 *   const b = new GraphBuilder()
 *   const x = b.input('x', 'float32', ['batch', 4])        // symbolic dims are strings
 *   const w = b.initializer('w', 'float32', [4, 2], data)   // weights
 *   b.output(b.softmax(b.matMul(x, w), -1), 'probs')
 *   const session = await createSessionFromBytes(serializeModel(b))   // from './session'
 *
 * The graph is plain, inspectable data: `b.inputs`, `b.outputs`, `b.initializers`,
 * `b.values` (name → {name, dtype, shape?}) and `b.nodes` in topological order, each
 * `{ name, opType, domain, inputs, outputs, attributes }` with typed attributes
 * (`attr.int`, `attr.float`, `attr.ints`, ...). Another module (autodiff) can walk `nodes`
 * backwards and append gradient nodes with the same helpers or `b.op(type, inputs, attrs)`.
 * Shapes are recorded for inputs and initializers only (no shape inference); use `b.shape(x)`
 * in-graph when a dynamic shape is needed.
 *
 * Ops: add sub mul div pow neg sqrt reciprocal exp log tanh sigmoid erf relu identity silu
 * gelu geluTanh matMul softmax logSoftmax reduceMean reduceMax reduceSum gather reshape
 * transpose concat split slice unsqueeze squeeze expand shape cast range where less greater equal
 * layerNorm rmsNorm matMulNBits (com.microsoft); constants: ints int scalar.
 * Optional outputs a graph does not use: `op(..., { omit: [i] })`.
 * Default opset 17 (ReduceMean/Max take axes as an attribute, ReduceSum as an input).
 * `toModelProto(b, { externalData })` writes large initializers to a side file (> 2 GB models).
 *
 * Sessions (onnxruntime itself) come from './session', not from here: a process that only
 * builds or reads graphs, such as the app's main process, must not load the native library.
 */
export { GraphBuilder, MS_DOMAIN, ONNX_DTYPE, type OpOptions } from './builder'
export {
  toModelProto,
  serializeModel,
  DEFAULT_OPSET,
  type ExternalChunk,
  type ModelProtoOptions,
} from './proto'
export {
  attr,
  dtypeByteSize,
  type Attr,
  type DType,
  type Dim,
  type GraphNode,
  type Initializer,
  type TypedArrayData,
  type Value,
} from './types'
