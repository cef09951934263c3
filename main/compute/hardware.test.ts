import { describe, expect, it } from 'vitest'
import { explainInstallFailure } from '../services/engine/cudaInstall'
import { probeHardware, shortReason } from './hardware'

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
