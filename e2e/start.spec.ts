import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { test, expect } from '@playwright/test'
import { stopServe } from './fixtures'

const ROOT = path.resolve(__dirname, '..')

test('npm start without a usable Electron says so in one line and serves the app', async ({
  page,
}) => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'glassbox-start-'))
  const env: NodeJS.ProcessEnv = { ...process.env, CI: '1' }
  delete env.DISPLAY
  delete env.WAYLAND_DISPLAY
  const child = spawn(
    process.execPath,
    [path.join(ROOT, 'main/bin/start.cjs'), '--port', '0', '--data-dir', dataDir],
    { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let output = ''
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()))
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()))
  try {
    await expect.poll(() => output, { timeout: 90_000 }).toMatch(/Glassbox is running at /)
    const lines = output.trim().split('\n')
    const notes = lines.filter((l) => l.includes('Electron'))
    expect(notes).toHaveLength(1)
    expect(notes[0]).toMatch(/^Electron cannot start here: .+\. Glassbox runs in browser mode/)
    const url = /Glassbox is running at (\S+)/.exec(output)![1]
    await page.goto(url)
    await expect(page.getByTestId('sessions-sidebar')).toBeVisible()
  } finally {
    await stopServe(child)
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
})
