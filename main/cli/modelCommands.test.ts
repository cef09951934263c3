import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { modelCommands } from './modelCommands'

let root: string
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'glassbox-cli-'))
})
afterAll(() => rmSync(root, { recursive: true, force: true }))

/** Runs a command and returns its exit code and what it wrote. */
async function run(
  name: string,
  argv: string[],
): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true))
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true))
  try {
    const code = await modelCommands[name].run(argv)
    return { code, out, err }
  } finally {
    o.mockRestore()
    e.mockRestore()
  }
}

describe('model CLI commands', () => {
  it('fixture, info, logits and generate', async () => {
    const dir = join(root, 'llama')
    const cache = ['--cache-dir', join(root, 'cache'), '--provider', 'cpu']
    expect((await run('fixture', ['--arch', 'llama', '--out', dir])).code).toBe(0)

    const info = await run('info', ['--model', dir, ...cache])
    expect(info.code).toBe(0)
    expect(info.out).toMatch(/architecture\s+LlamaForCausalLM/)
    expect(info.out).toMatch(/provider\s+cpu/)
    // The placement report: every op ran on the CPU here, the layers' products included.
    const placement = await run('info', ['--model', dir, ...cache, '--placement', '--json'])
    expect(placement.code).toBe(0)
    const report = JSON.parse(placement.out) as {
      matmulShare: number
      products: { name: string; provider: string }[]
    }
    expect(report.matmulShare).toBe(1)
    expect(report.products.some((p) => p.name.startsWith('/model/layers.1/'))).toBe(true)

    const one = await run('logits', ['--model', dir, '--ids', '1,2,3', ...cache])
    const all = await run('logits', ['--model', dir, '--ids', '1,2,3', '--all-positions', ...cache])
    const a = JSON.parse(one.out)
    const b = JSON.parse(all.out)
    expect(a.logits).toHaveLength(1)
    expect(b.logits).toHaveLength(3)
    expect(a.logits[0]).toEqual(b.logits[2])

    const g1 = await run('generate', [
      '--model',
      dir,
      '--prompt',
      'the cat',
      '--greedy',
      '--max-tokens',
      '6',
      ...cache,
    ])
    const g2 = await run('generate', [
      '--model',
      dir,
      '--prompt',
      'the cat',
      '--greedy',
      '--max-tokens',
      '6',
      ...cache,
    ])
    expect(g1.code).toBe(0)
    expect(g1.out).toBe(g2.out)
    expect(g1.err).toMatch(/tokens in .* tokens\/s/)
  })

  it('a bad model path is one line on stderr and exit code 1', async () => {
    const r = await run('info', ['--model', join(root, 'nowhere')])
    expect(r.code).toBe(1)
    expect(r.err.trim().split('\n')).toHaveLength(1)
    expect(r.err).toContain('nowhere')
  })
})
