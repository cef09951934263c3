import { expect, it } from 'vitest'
import { StepRate } from './stepRate'

it('the ETA uses the measured pace after the slow first step', () => {
  let now = 0
  const rate = new StepRate(() => now)
  // The first step takes 8 s (warm-up), then each step 0.1 s.
  now = 8000
  rate.stepEnded(1, 0)
  expect(rate.etaSeconds(1, 101)).toBeCloseTo(800)
  for (let step = 2; step <= 11; step++) {
    now += 100
    rate.stepEnded(step, 0)
  }
  // 90 steps left at 10 steps/s: 9 s, not the 8× longer ~72 s an average with step 1 gives.
  expect(rate.etaSeconds(11, 101)).toBeCloseTo(9)
  expect(rate.stepsPerSecond(11)).toBeCloseTo(10)
})
