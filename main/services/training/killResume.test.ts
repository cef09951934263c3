import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { writeFixtureModel } from '../../../native-models/io/fixture'
import type { CheckpointMeta } from './checkpoint'

// The crash test: `glassbox train` killed with SIGKILL after a checkpoint, run again
// with the same arguments, ends with the same loss curve as a run that was never killed.

const root = resolve(__dirname, '../../..')
const tsx = join(root, 'node_modules/tsx/dist/cli.mjs')

function trainArgs(model: string, data: string, out: string): string[] {
  return [
    tsx,
    join(root, 'main/cli.ts'),
    'train',
    '--model',
    model,
    '--data',
    data,
    '--out',
    out,
    '--steps',
    '40',
    '--batch',
    '4',
    '--seq-len',
    '32',
    '--threads',
    '1',
    '--checkpoint-every',
    '2',
  ]
}

const curveOf = (out: string): CheckpointMeta['curve'] =>
  (
    JSON.parse(
      readFileSync(join(out, '.run', 'checkpoint', 'state.json'), 'utf8'),
    ) as CheckpointMeta
  ).curve

describe('glassbox train after SIGKILL', () => {
  it('resumes from the last checkpoint and matches the uninterrupted loss curve', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gb-kill-'))
    const model = join(dir, 'base')
    await writeFixtureModel(model, { arch: 'llama', seed: 9 })
    const data = join(dir, 'a.txt')
    writeFileSync(
      data,
      Array.from(
        { length: 60 },
        (_, i) => `Row ${i % 9}: bread, salt and water on the table.`,
      ).join('\n'),
    )

    const straight = spawnSync(process.execPath, trainArgs(model, data, join(dir, 'straight')), {
      cwd: root,
      encoding: 'utf8',
    })
    expect(straight.status, straight.stderr).toBe(0)

    const out = join(dir, 'killed')
    const child = spawn(process.execPath, trainArgs(model, data, out), {
      cwd: root,
      stdio: 'ignore',
    })
    const state = join(out, '.run', 'checkpoint', 'state.json')
    const deadline = Date.now() + 240_000
    while (Date.now() < deadline) {
      if (
        existsSync(state) &&
        (JSON.parse(readFileSync(state, 'utf8')) as CheckpointMeta).step >= 4
      )
        break
      await new Promise((r) => setTimeout(r, 100))
    }
    // Killed mid-run, never after it ended (a finished run leaves a full output folder).
    expect(child.exitCode).toBeNull()
    const exited = new Promise((r) => child.once('exit', r))
    child.kill('SIGKILL')
    await exited
    const killedAt = (JSON.parse(readFileSync(state, 'utf8')) as CheckpointMeta).step
    expect(killedAt).toBeGreaterThanOrEqual(4)
    expect(killedAt).toBeLessThan(40)

    const again = spawnSync(process.execPath, trainArgs(model, data, out), {
      cwd: root,
      encoding: 'utf8',
    })
    expect(again.status, again.stderr).toBe(0)
    const a = curveOf(join(dir, 'straight'))
    const b = curveOf(out)
    expect(b.map((c) => c.step)).toEqual(a.map((c) => c.step))
    b.forEach((c, i) => expect(c.trainLoss).toBeCloseTo(a[i].trainLoss, 4))
  }, 600_000)
})
