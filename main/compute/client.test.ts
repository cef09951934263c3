import { afterEach, describe, expect, it } from 'vitest'
import { ComputeClient } from './client'
import { forkLauncher } from './launcher'

// The real child (main/compute/child.ts run through tsx), forked as the app forks it.
let client: ComputeClient | null = null
afterEach(() => client?.stop())

function waitFor(check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const start = Date.now()
  return new Promise((resolve, reject) => {
    const poll = () => {
      if (check()) resolve()
      else if (Date.now() - start > timeoutMs) reject(new Error('timed out'))
      else setTimeout(poll, 20)
    }
    poll()
  })
}

describe('ComputeClient', () => {
  it('answers health from a separate process', async () => {
    client = new ComputeClient(forkLauncher())
    const health = await client.health()
    expect(health.ok).toBe(true)
    expect(health.pid).not.toBe(process.pid)
    expect(health.pid).toBe(client.pid)
  })

  it('streams events while a call runs', async () => {
    client = new ComputeClient(forkLauncher())
    const seen: number[] = []
    const result = await client.request(
      'ticks',
      { count: 5 },
      { onEvent: (e) => seen.push(e.index) },
    )
    expect(result).toEqual({ count: 5 })
    expect(seen).toEqual([0, 1, 2, 3, 4])
  })

  it('rejects the call in flight when the child crashes, then works again', async () => {
    const states: string[] = []
    client = new ComputeClient(forkLauncher(), { onStatus: (s) => states.push(s.state) })
    const before = await client.health()
    const crash = client.request('crash', { exitCode: 3 })
    await expect(crash).rejects.toMatchObject({ code: 'unavailable' })
    await expect(crash).rejects.toThrow(/exited with code 3 during crash/)
    const after = await client.health()
    expect(after.ok).toBe(true)
    expect(after.pid).not.toBe(before.pid)
    expect(client.starts).toBe(2)
    expect(states).toEqual(['starting', 'ready', 'crashed', 'starting', 'ready'])
  })

  it('restarts a child killed from outside (SIGKILL) and fails its pending calls clearly', async () => {
    client = new ComputeClient(forkLauncher())
    const { pid } = await client.health()
    const slow = client.request('ticks', { count: 1000, intervalMs: 10 })
    process.kill(pid, 'SIGKILL')
    await expect(slow).rejects.toThrow(/killed by SIGKILL during ticks/)
    // Restarted without waiting for a call.
    await waitFor(() => client!.starts === 2 && client!.pid !== undefined && client!.pid !== pid)
    const after = await client.health()
    expect(after.pid).not.toBe(pid)
  })

  it('cancels a streaming call through an AbortSignal', async () => {
    client = new ComputeClient(forkLauncher())
    const controller = new AbortController()
    const seen: number[] = []
    const result = await client.request(
      'ticks',
      { count: 10_000, intervalMs: 2 },
      {
        signal: controller.signal,
        onEvent: (e) => {
          seen.push(e.index)
          if (e.index === 3) controller.abort()
        },
      },
    )
    expect(result.count).toBe(10_000)
    expect(seen.length).toBeLessThan(100)
  })
})
