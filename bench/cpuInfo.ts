// The CPU a benchmark ran on, as its first line: the same graph runs different kernels on
// AVX2, AVX-512 and VNNI/AMX machines (MLAS picks per CPU; llama.cpp's prebuilt binary too),
// so a table without it cannot be compared with another.
import { readFileSync } from 'node:fs'
import { availableParallelism, cpus } from 'node:os'

export interface CpuInfo {
  model: string
  cores: number
  /** The instruction-set extensions that pick a kernel, in the names /proc/cpuinfo uses. */
  flags: string[]
}

/** Flags that decide which matmul kernels run, in the order they are printed. */
const KERNEL_FLAGS = [
  'fma',
  'f16c',
  'avx2',
  'avx_vnni',
  'avx512f',
  'avx512bw',
  'avx512_vnni',
  'avx512_bf16',
  'avx512_fp16',
  'amx_int8',
  'amx_bf16',
  'asimd',
  'sve',
  'i8mm',
]

/** The first processor's model name and flags from /proc/cpuinfo (Linux; elsewhere none). */
export function parseCpuinfo(text: string): { model?: string; flags: string[] } {
  const field = (name: string) =>
    text
      .split('\n')
      .find((l) => l.split(':')[0].trim() === name)
      ?.split(':')
      .slice(1)
      .join(':')
      .trim()
  const all = new Set((field('flags') ?? field('Features') ?? '').split(/\s+/))
  return { model: field('model name'), flags: KERNEL_FLAGS.filter((f) => all.has(f)) }
}

export function cpuInfo(): CpuInfo {
  let parsed: { model?: string; flags: string[] } = { flags: [] }
  try {
    parsed = parseCpuinfo(readFileSync('/proc/cpuinfo', 'utf8'))
  } catch {
    // Not Linux: the model name from Node, flags unknown.
  }
  return {
    model: parsed.model ?? cpus()[0]?.model ?? 'unknown CPU',
    cores: availableParallelism(),
    flags: parsed.flags,
  }
}

/** "CPU: <model>, N cores; AVX2 yes, AVX-512 yes, VNNI yes (avx512_vnni), AMX yes; flags: ..." */
export function cpuHeader(info: CpuInfo = cpuInfo()): string {
  const has = (f: string) => info.flags.includes(f)
  const known = info.flags.length > 0
  const yn = (x: boolean) => (known ? (x ? 'yes' : 'no') : '?')
  const vnni = ['avx512_vnni', 'avx_vnni'].filter(has)
  return (
    `CPU: ${info.model}, ${info.cores} cores; AVX2 ${yn(has('avx2'))}, ` +
    `AVX-512 ${yn(has('avx512f'))}, VNNI ${yn(vnni.length > 0)}` +
    `${vnni.length ? ` (${vnni.join(', ')})` : ''}, AMX ${yn(has('amx_int8'))}; ` +
    `flags: ${known ? info.flags.join(' ') : 'unknown (no /proc/cpuinfo)'}`
  )
}
