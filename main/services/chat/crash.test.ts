import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { DATABASE_FILE, openDatabase, SessionStore } from '../store'
import { ChatService } from './chatService'
import { createChatFixture } from './testing'

describe('a host killed mid-generation', () => {
  it('keeps the user message and leaves the partial answer marked interrupted', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'glassbox-crash-'))
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(__dirname, 'crashDrill.ts'), dataDir],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    )
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_code, signal) => resolve(signal)),
    )
    await new Promise<void>((resolve) => child.stdout.on('data', () => resolve()))
    // Wait until a partial answer has been written at least once, then kill without warning.
    const dbFile = path.join(dataDir, DATABASE_FILE)
    const deadline = Date.now() + 30_000
    let partial = ''
    while (Date.now() < deadline && partial.length < 5) {
      await new Promise((r) => setTimeout(r, 50))
      const reader = openDatabase(dbFile)
      const row = reader.prepare("SELECT content FROM messages WHERE role = 'assistant'").get() as
        { content: string } | undefined
      reader.close()
      partial = row?.content ?? ''
    }
    expect(partial.length).toBeGreaterThanOrEqual(5)
    child.kill('SIGKILL')
    expect(await exited).toBe('SIGKILL')

    // What the next start does: mark unfinished answers, then show the chat.
    const f = createChatFixture({ dataDir })
    expect(new SessionStore(f.db).markUnfinishedInterrupted()).toBe(1)
    const session = f.store.listSessions()[0]
    const thread = new ChatService({ ...f }).thread(session.id)
    expect(thread.messages.map((t) => t.message.role)).toEqual(['user', 'assistant'])
    expect(thread.messages[0].message.content).toBe('a message that must survive')
    const answer = thread.messages[1].message
    expect(answer.status).toBe('interrupted')
    expect(answer.content.startsWith('abcde')).toBe(true)
    expect(f.db.pragma('integrity_check', { simple: true })).toBe('ok')
  })
})
