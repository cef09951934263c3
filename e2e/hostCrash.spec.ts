import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import WebSocket from 'ws'
import { test, expect } from '@playwright/test'
import { startServe, stopServe } from './fixtures'
import { AppPage } from './pages/appPage'

test('the host SIGKILLed while writing keeps every acknowledged message', async ({ page }) => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'glassbox-crash-'))
  try {
    const first = await startServe(dataDir)
    const ws = new WebSocket(
      first.url.replace('http://', 'ws://').replace('/?token=', '/api?token='),
    )
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject))
    const acked: number[] = []
    let nextId = 2
    let killed = false
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data))
      if (frame.ok && frame.id >= 2) acked.push(frame.value.id)
      // Kill mid-stream: hundreds of writes still in flight.
      if (acked.length === 400 && !killed) {
        killed = true
        first.child.kill('SIGKILL')
      }
    })
    const closed = new Promise((resolve) => ws.once('close', resolve))
    ws.send(JSON.stringify({ id: 1, method: 'sessions.create', input: { title: 'Crash' } }))
    for (let i = 0; i < 3000; i++) {
      const content = `write ${i} ${'x'.repeat(i % 300)}`
      ws.send(
        JSON.stringify({ id: nextId++, method: 'messages.add', input: { sessionId: 1, content } }),
      )
    }
    await closed
    expect(killed).toBe(true)
    expect(acked.length).toBeGreaterThanOrEqual(400)

    // Before anything else opens it: the file is sound and every acknowledged write is there.
    const db = new Database(path.join(dataDir, 'glassbox.db'))
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
    const ids = new Set(
      (db.prepare('SELECT id FROM messages').all() as { id: number }[]).map((r) => r.id),
    )
    db.close()
    expect(acked.filter((id) => !ids.has(id))).toEqual([])

    // And the restarted app shows them.
    const second = await startServe(dataDir)
    try {
      const app = new AppPage(page)
      await app.open(second.url)
      await app.select('Crash')
      await expect(app.messages.last()).toContainText('write')
    } finally {
      await stopServe(second.child)
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
})
