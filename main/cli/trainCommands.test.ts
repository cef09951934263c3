import { describe, expect, it, vi } from 'vitest'
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

  it('refuses a flag that is not the number it must be, before anything runs', async () => {
    const errors: string[] = []
    const spy = vi.spyOn(console, 'error').mockImplementation((m) => void errors.push(String(m)))
    const base = ['--model', '/nowhere', '--data', 'a.txt', '--out', '/tmp/never-written']
    expect(await trainCommands.train.run([...base, '--lora-rank', 'abc'])).toBe(2)
    expect(await trainCommands.train.run([...base, '--steps', 'abc'])).toBe(2)
    expect(await trainCommands.train.run([...base, '--batch', '0'])).toBe(2)
    expect(await trainCommands.train.run([...base, '--lr', '1e-3x'])).toBe(2)
    spy.mockRestore()
    expect(errors[0]).toBe(
      'glassbox train: --lora-rank must be a whole number, 0 for full fine-tuning, not "abc".',
    )
    expect(errors[1]).toContain('--steps must be a whole number')
    expect(errors[2]).toContain('--batch must be a whole number from 1, not "0"')
  })
})
