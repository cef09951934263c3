// Learning-rate schedule: linear warm-up, then cosine decay to a floor (Loshchilov & Hutter
// 2017, "SGDR", without restarts), as most LLM recipes use.

export interface LrSchedule {
  peak: number
  warmupSteps: number
  totalSteps: number
  /** Final learning rate as a fraction of the peak (default 0.1). */
  minRatio?: number
}

/** Learning rate for optimizer step `step` (1-based). */
export function learningRate(s: LrSchedule, step: number): number {
  const floor = s.peak * (s.minRatio ?? 0.1)
  if (s.warmupSteps > 0 && step <= s.warmupSteps) return (s.peak * step) / s.warmupSteps
  const span = Math.max(1, s.totalSteps - s.warmupSteps)
  const progress = Math.min(1, Math.max(0, (step - s.warmupSteps) / span))
  return floor + 0.5 * (s.peak - floor) * (1 + Math.cos(Math.PI * progress))
}
