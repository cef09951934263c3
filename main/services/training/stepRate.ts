// Steps per second as measured, for the ETA. A process's first step costs far more than the
// others (onnxruntime allocates and picks kernels on its first run), so the rate counts from
// the end of that step; until a second step ends, the first one is all there is.

export class StepRate {
  private first: { step: number; at: number; seconds: number } | null = null

  constructor(private readonly now: () => number = Date.now) {}

  /** Call when a step has ended; startedAt: when this process's first step began. */
  stepEnded(step: number, startedAt: number): void {
    const at = this.now()
    this.first ??= { step, at, seconds: Math.max((at - startedAt) / 1000, 1e-3) }
  }

  /** Steps per second (NaN before any step). */
  stepsPerSecond(step: number): number {
    if (!this.first) return NaN
    if (step <= this.first.step) return 1 / this.first.seconds
    return (step - this.first.step) / Math.max((this.now() - this.first.at) / 1000, 1e-3)
  }

  etaSeconds(step: number, totalSteps: number): number {
    const rate = this.stepsPerSecond(step)
    return Number.isFinite(rate) && rate > 0 ? (totalSteps - step) / rate : NaN
  }
}
