// Wall time per phase of bench:peers, so a run shows where its minutes went (and a slow
// phase can be cut without guessing). Printed as it goes and summed at the end.

export interface Phase {
  name: string
  seconds: number
}

export class PhaseClock {
  readonly phases: Phase[] = []
  private readonly started = performance.now()

  constructor(private readonly log: (line: string) => void) {}

  async time<T>(name: string, work: () => T | Promise<T>): Promise<T> {
    const t = performance.now()
    try {
      return await work()
    } finally {
      const seconds = (performance.now() - t) / 1000
      this.phases.push({ name, seconds })
      this.log(`  ${name}: ${seconds.toFixed(1)} s`)
    }
  }

  totalSeconds(): number {
    return (performance.now() - this.started) / 1000
  }

  summary(): string {
    const width = Math.max(5, ...this.phases.map((p) => p.name.length))
    const total = this.totalSeconds()
    const timed = this.phases.reduce((s, p) => s + p.seconds, 0)
    return [
      `${'phase'.padEnd(width)}  seconds`,
      ...this.phases.map((p) => `${p.name.padEnd(width)}  ${p.seconds.toFixed(1).padStart(7)}`),
      `${'other (start, tables, files)'.padEnd(width)}  ${(total - timed).toFixed(1).padStart(7)}`,
      `${'total'.padEnd(width)}  ${total.toFixed(1).padStart(7)}`,
    ].join('\n')
  }
}
