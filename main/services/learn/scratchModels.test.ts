import fs from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { SafetensorsWeights } from '../../../native-models/io/safetensors'
import { parseConfig } from '../../../native-models/arch'
import { findDefaultModelDir } from '../models/registry'
import { makeTempDir } from '../store/testing/tempDir'
import { ensureScratchModel, SCRATCH_SHAPES } from './scratchModels'

const temp = makeTempDir('glassbox-scratch-')
afterAll(() => temp.cleanup())
const shipped = findDefaultModelDir()

describe('scratch models', () => {
  it('writes an untrained model whose tensors add up to the parameter count it reports', () => {
    const made = ensureScratchModel(temp.dir, shipped, 'medium')
    const cfg = parseConfig(
      JSON.parse(fs.readFileSync(path.join(made.modelDir, 'config.json'), 'utf8')),
    )
    expect(cfg.hiddenSize).toBe(SCRATCH_SHAPES.medium.hiddenSize)
    expect(cfg.numLayers).toBe(SCRATCH_SHAPES.medium.layers)
    const weights = new SafetensorsWeights(made.modelDir)
    const total = weights
      .names()
      .reduce((n, name) => n + weights.entry(name).shape.reduce((a, b) => a * b, 1), 0)
    expect(total).toBe(made.parameterCount)
    // The shipped model's tokenizer, byte for byte.
    expect(fs.readFileSync(path.join(made.modelDir, 'tokenizer.json'))).toEqual(
      fs.readFileSync(path.join(shipped!, 'tokenizer.json')),
    )
  })

  it('grows with the size, and is made only once', () => {
    const small = ensureScratchModel(temp.dir, shipped, 'small')
    const large = ensureScratchModel(temp.dir, shipped, 'large')
    expect(small.parameterCount).toBeLessThan(large.parameterCount)
    const file = path.join(small.modelDir, 'model.safetensors')
    const before = fs.statSync(file).mtimeMs
    ensureScratchModel(temp.dir, shipped, 'small')
    expect(fs.statSync(file).mtimeMs).toBe(before)
  })

  it('says why when there is no tokenizer to borrow', () => {
    expect(() => ensureScratchModel(temp.dir, null, 'small')).toThrow(/tokenizer/)
  })
})
