import * as ort from 'onnxruntime-node'
import type { onnx } from 'onnx-proto'
import {
  cloneModel,
  createSession,
  outputInfo,
  probeShapes,
  type Feeds,
} from '../training/ortGraph'
import { appendBackward } from './backward'
import { floatTensor, type FloatType } from './graphEditor'
import { seededRandom } from '../random/seededRandom'

// Finite-difference check of the autodiff: loss = Σ y·w with a fixed random w, its
// gradient from the appended backward graph against central differences of the loss.

export interface CheckInput {
  name: string
  dims: number[]
  /** Values; random in [lo, hi) when absent. */
  data?: number[]
  range?: [number, number]
  /** int64 inputs (indices) are fed but never differentiated. */
  int?: boolean
  /** Not differentiated (masks, constants fed as inputs). */
  frozen?: boolean
}

export interface CheckCase {
  inputs: CheckInput[]
  nodes: onnx.INodeProto[]
  /** Name of the value the loss reads. */
  output: string
  floatType?: FloatType
  opset?: number
  extraOpsets?: onnx.IOperatorSetIdProto[]
}

export interface CheckResult {
  maxAbsError: number
  maxRelError: number
  checked: number
}

export async function gradCheck(check: CheckCase, seed = 1): Promise<CheckResult> {
  const floatType = check.floatType ?? 11
  const rand = seededRandom(seed)
  const make = (values: number[], dims: number[]): ort.Tensor =>
    floatType === 11
      ? new ort.Tensor('float64', Float64Array.from(values), dims)
      : new ort.Tensor('float32', Float32Array.from(values), dims)
  const feeds: Feeds = {}
  const values: Record<string, number[]> = {}
  for (const input of check.inputs) {
    const size = input.dims.reduce((a, b) => a * b, 1)
    const [lo, hi] = input.range ?? [-1, 1]
    const data = input.data ?? Array.from({ length: size }, () => lo + (hi - lo) * rand())
    values[input.name] = data
    feeds[input.name] = input.int
      ? new ort.Tensor('int64', BigInt64Array.from(data.map(BigInt)), input.dims)
      : make(data, input.dims)
  }
  const model: onnx.IModelProto = {
    irVersion: 9,
    opsetImport: [{ domain: '', version: check.opset ?? 18 }, ...(check.extraOpsets ?? [])],
    graph: {
      name: 'check',
      input: check.inputs.map((i) => outputInfo(i.name, i.int ? 7 : floatType)),
      node: check.nodes,
      output: [outputInfo(check.output, floatType)],
      initializer: [],
    },
  }
  const outShape = (await probeShapes(model, feeds)).get(check.output)!
  const wSize = outShape.reduce((a, b) => a * b, 1)
  const w = Array.from({ length: wSize }, () => rand() * 2 - 1)
  const graph = model.graph!
  graph.initializer!.push({ ...floatTensor(w, outShape, floatType), name: 'check/w' })
  graph.node!.push(
    { opType: 'Mul', input: [check.output, 'check/w'], output: ['check/yw'] },
    {
      opType: 'ReduceSum',
      input: ['check/yw'],
      output: ['check/loss'],
      attribute: [{ name: 'keepdims', type: 2, i: 0 }],
    },
  )
  graph.output = [outputInfo('check/loss', floatType)]
  const wrt = check.inputs.filter((i) => !i.int && !i.frozen).map((i) => i.name)

  const shapes = await probeShapes(model, feeds)
  const withGrads = cloneModel(model)
  const grads = appendBackward(withGrads.graph!, { loss: 'check/loss', wrt, shapes, floatType })
  for (const name of grads.values()) withGrads.graph!.output!.push(outputInfo(name, floatType))
  const gradSession = await createSession(withGrads, { graphOptimizationLevel: 'disabled' })
  const analytic = await gradSession.run(feeds)
  const lossSession = await createSession(model, { graphOptimizationLevel: 'disabled' })
  const lossAt = async (name: string, data: number[]): Promise<number> => {
    const out = await lossSession.run({
      ...feeds,
      [name]: make(data, feeds[name].dims as number[]),
    })
    return Number(out['check/loss'].data[0])
  }

  const h = floatType === 11 ? 1e-6 : 1e-2
  let maxAbsError = 0
  let maxRelError = 0
  let checked = 0
  for (const name of wrt) {
    const got = analytic[grads.get(name)!].data as Float64Array | Float32Array
    const base = values[name]
    const picks =
      base.length <= 24
        ? [...base.keys()]
        : Array.from({ length: 24 }, () => Math.floor(rand() * base.length))
    for (const k of picks) {
      const plus = [...base]
      const minus = [...base]
      plus[k] += h
      minus[k] -= h
      const numeric = ((await lossAt(name, plus)) - (await lossAt(name, minus))) / (2 * h)
      const abs = Math.abs(numeric - got[k])
      maxAbsError = Math.max(maxAbsError, abs)
      maxRelError = Math.max(maxRelError, abs / Math.max(1, Math.abs(numeric)))
      checked++
    }
  }
  await gradSession.release()
  await lossSession.release()
  return { maxAbsError, maxRelError, checked }
}
