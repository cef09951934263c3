import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { writeFixtureModel } from '../../native-models/io'
import { benchmarkProviders } from './providerBenchmark'

describe('benchmarkProviders', () => {
  it('measures decode speed per provider and says why one did not run', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gb-bench-'))
    try {
      await writeFixtureModel(dir, { arch: 'llama', seed: 4 })
      const [cpu, absent] = await benchmarkProviders(
        { path: dir, quantization: 'none' },
        ['cpu', 'coreml-nowhere'],
        8,
      )
      expect(cpu.provider).toBe('cpu')
      expect(cpu.tokensPerSecond).toBeGreaterThan(0)
      expect(cpu.error).toBeNull()
      expect(absent.tokensPerSecond).toBeNull()
      expect(absent.error).toBeTruthy()
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})
