import { describe, expect, it } from 'vitest'
import { progressLine, trainCommands } from './trainCommands'

describe('glassbox train', () => {
  it('draws a progress bar with loss, rate and ETA', () => {
    const line = progressLine(
      {
        step: 5,
        totalSteps: 10,
        tokens: 640,
        trainLoss: 2.5,
        valLoss: 2.75,
        lr: 1e-3,
        tokensPerSecond: 321,
        etaSeconds: 75,
      },
      10,
    )
    expect(line).toBe('█████░░░░░ 5/10 loss 2.500 val 2.750 lr 1.0e-3 321 tok/s ETA 1m15s')
  })

  it('refuses to start without model, data and output folder', async () => {
    expect(await trainCommands.train.run(['--model', '/nowhere'])).toBe(2)
  })
})
