import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { explainInstallFailure } from '../services/engine/cudaInstall'
import { listGpus } from './gpus'
import { classifyFailure, probeHardware, shortReason } from './hardware'

describe('hardware probe', () => {
  it('runs the probe graph on each provider of this build; CPU always works', async () => {
    const info = await probeHardware('cpu', [{ provider: 'cuda', reason: 'not installed' }])
    const cpu = info.providers.find((p) => p.name === 'cpu')
    expect(cpu).toMatchObject({ bundled: true, works: true, reason: null })
    for (const p of info.providers) {
      if (p.works === false) expect(p.reason).toBeTruthy()
    }
    expect(info.inUse).toBe('cpu')
    expect(info.fallbacks).toHaveLength(1)
    expect(info.platform).toBe(`${process.platform}/${process.arch}`)
    // Each provider has a state, and each that does not work says why in words.
    for (const p of info.providers) {
      expect(p.state === 'works').toBe(p.works === true)
      if (p.state !== 'works') expect(p.reason).toMatch(/\.$/)
    }
    expect(cpu?.adapter).toBeNull()
  })

  it('offers CUDA only where an NVIDIA GPU is, and says what a provider needs', async () => {
    const none = await probeHardware('cpu', [], [])
    expect(none.cudaInstallable).toBe(false)
    const nvidia = [{ vendor: 'NVIDIA', name: 'NVIDIA H200' }]
    const withGpu = await probeHardware('cpu', [], nvidia)
    const cuda = withGpu.providers.find((p) => p.name === 'cuda')
    if (cuda && cuda.state === 'not_installed' && process.platform === 'linux') {
      expect(withGpu.cudaInstallable).toBe(true)
      expect(cuda.reason).toMatch(/separate download/)
      expect(cuda.details).toMatch(/Failed to load/)
    }
    const missing = 'Failed to load library libonnxruntime_providers_shared.so: cannot open'
    expect(classifyFailure('cuda', missing, []).reason).toMatch(/needs an NVIDIA GPU/)
    expect(classifyFailure('webgpu', 'no adapter found', [])).toMatchObject({ state: 'no_adapter' })
    expect(classifyFailure('dml', 'E_FAIL 0x80004005', nvidia)).toMatchObject({ state: 'failed' })
  })

  it('reads the GPUs from sysfs, naming NVIDIA models from the driver', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'gb-gpus-'))
    const card = (n: number, vendor: string, device: string) => {
      fs.mkdirSync(path.join(root, 'sys', `card${n}`, 'device'), { recursive: true })
      fs.writeFileSync(path.join(root, 'sys', `card${n}`, 'device', 'vendor'), `${vendor}\n`)
      fs.writeFileSync(path.join(root, 'sys', `card${n}`, 'device', 'device'), `${device}\n`)
    }
    card(0, '0x8086', '0x46a6')
    card(1, '0x10de', '0x2335')
    fs.mkdirSync(path.join(root, 'sys', 'card1-HDMI-A-1'))
    const info = path.join(root, 'proc', 'driver/nvidia/gpus/0000:01:00.0')
    fs.mkdirSync(info, { recursive: true })
    fs.writeFileSync(path.join(info, 'information'), 'Model: \t NVIDIA H200\nIRQ: 1\n')
    const roots = { sys: path.join(root, 'sys'), proc: path.join(root, 'proc') }
    expect(listGpus('linux', 'x64', roots)).toEqual([
      { vendor: 'Intel', name: 'Intel GPU (PCI device 0x46a6)' },
      { vendor: 'NVIDIA', name: 'NVIDIA H200' },
    ])
    expect(listGpus('win32', 'x64', roots)).toEqual([])
    fs.rmSync(root, { recursive: true, force: true })
  })

  it('turns onnxruntime messages into a sentence', () => {
    expect(
      shortReason(
        'Failed to load library /x/libonnxruntime_providers_shared.so with error: cannot open',
      ),
    ).toMatch(/not installed/)
  })

  it('explains a failed CUDA install that could not reach the network as offline', () => {
    expect(explainInstallFailure('Error: getaddrinfo ENOTFOUND api.nuget.org', 1)).toMatch(
      /offline/,
    )
    expect(explainInstallFailure('some other failure', 3)).toMatch(/exit code 3/)
  })
})
