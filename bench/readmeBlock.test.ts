import { describe, expect, it } from 'vitest'
import { parseCpuinfo } from './cpuInfo'
import { blockEnd, blockStart, replaceBlock, ReadmeBlockError } from './readmeBlock'
import { renderPeersBlock } from './peers/readme'

describe('README generated block', () => {
  const readme = `# x\n\nbefore\n${blockStart('peers')}\nold table\n${blockEnd('peers')}\nafter\n`

  it('replaces only the text between the markers, and again the same way', () => {
    const once = replaceBlock(readme, 'peers', 'new table\n')
    expect(once).toBe(
      `# x\n\nbefore\n${blockStart('peers')}\nnew table\n${blockEnd('peers')}\nafter\n`,
    )
    expect(replaceBlock(once, 'peers', 'new table')).toBe(once)
  })

  it('refuses a README without the block, naming the marker', () => {
    expect(() => replaceBlock('# x\n', 'peers', 't')).toThrow(ReadmeBlockError)
    expect(() => replaceBlock('# x\n', 'peers', 't')).toThrow(blockStart('peers'))
  })

  it('renders the machine first, then the tables as printed', () => {
    const text = renderPeersBlock({
      date: '2026-12-03T06:00:00.000Z',
      machine: { cpuHeader: 'CPU: Test CPU, 2 cores; AVX2 yes', threads: 2 },
      inference: { table: 'model  metric\nA      1.0' },
      training: { skipped: 'no torch' },
    })
    expect(text).toContain('2026-12-03 06:00 UTC')
    expect(text.indexOf('CPU: Test CPU')).toBeLessThan(text.indexOf('model  metric'))
    expect(text).toContain('Training skipped: no torch')
  })
})

describe('parseCpuinfo', () => {
  it('keeps the model name and the kernel-picking flags only', () => {
    const info = parseCpuinfo(
      'processor\t: 0\nmodel name\t: Intel(R) Xeon(R) Processor\nflags\t\t: fpu sse avx2 avx512f avx512_vnni amx_int8 rdrand\n',
    )
    expect(info.model).toBe('Intel(R) Xeon(R) Processor')
    expect(info.flags).toEqual(['avx2', 'avx512f', 'avx512_vnni', 'amx_int8'])
  })
})
