// Peak resident memory of this process alone. getrusage's ru_maxrss (process.resourceUsage)
// survives execve on Linux, so a child would report at least its parent's peak at spawn
// time (we saw identical figures for both engines); /proc/self/status's VmHWM belongs to
// the process's own address space.

import { readFileSync } from 'node:fs'

export function peakRssMiB(): number {
  try {
    const hwm = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'))
    if (hwm) return Number(hwm[1]) / 1024
  } catch {
    // not Linux: fall through
  }
  return process.resourceUsage().maxRSS / 1024
}
