// The GPUs of this machine as the Hardware tab names them: on Linux the PCI display devices
// under /sys/class/drm (NVIDIA's driver adds the model name under /proc/driver/nvidia),
// on Apple silicon its GPU. Used to name WebGPU's adapter and to offer the CUDA download
// only where an NVIDIA GPU is.
import fs from 'node:fs'
import path from 'node:path'
import type { GpuDevice } from '../contract/hardware'

const PCI_VENDORS: Record<string, string> = {
  '0x10de': 'NVIDIA',
  '0x1002': 'AMD',
  '0x8086': 'Intel',
  '0x1af4': 'virtio',
  '0x15ad': 'VMware',
  '0x1234': 'QEMU',
}

function read(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8').trim()
  } catch {
    return null
  }
}

function nvidiaNames(procRoot: string): string[] {
  const dir = path.join(procRoot, 'driver/nvidia/gpus')
  let ids: string[]
  try {
    ids = fs.readdirSync(dir)
  } catch {
    return []
  }
  return ids
    .map((id) => /^Model:\s*(.+)$/m.exec(read(path.join(dir, id, 'information')) ?? '')?.[1])
    .filter((n): n is string => Boolean(n))
}

export function listGpus(
  platform: string = process.platform,
  arch: string = process.arch,
  roots = { sys: '/sys/class/drm', proc: '/proc' },
): GpuDevice[] {
  if (platform === 'darwin') return arch === 'arm64' ? [{ vendor: 'Apple', name: 'Apple GPU' }] : []
  if (platform !== 'linux') return []
  let cards: string[]
  try {
    cards = fs.readdirSync(roots.sys).filter((c) => /^card\d+$/.test(c))
  } catch {
    return []
  }
  const named = nvidiaNames(roots.proc)
  const gpus: GpuDevice[] = []
  for (const card of cards.sort()) {
    const vendorId = read(path.join(roots.sys, card, 'device/vendor'))
    if (!vendorId) continue
    const vendor = PCI_VENDORS[vendorId] ?? `PCI vendor ${vendorId}`
    const device = read(path.join(roots.sys, card, 'device/device')) ?? '?'
    const name =
      vendor === 'NVIDIA' && named.length ? named.shift()! : `${vendor} GPU (PCI device ${device})`
    gpus.push({ vendor, name })
  }
  return gpus
}
