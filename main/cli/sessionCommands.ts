import fs from 'node:fs'
import { parseArgs } from 'node:util'
import { openDatabase, DATABASE_FILE, SessionStore } from '../services/store'
import { exportSession, type ExportFormat } from '../services/sessions/export'
import path from 'node:path'
import type { CliCommand } from './command'
import { dataDirOption, resolveDataDir } from './dataDir'

function openStore(dataDir: string | undefined): { store: SessionStore; close(): void } {
  const db = openDatabase(path.join(resolveDataDir(dataDir), DATABASE_FILE))
  return { store: new SessionStore(db), close: () => db.close() }
}

function date(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 16)
}

export const sessionCommands: Record<string, CliCommand> = {
  'sessions list': {
    summary: 'List the chats, newest first.',
    usage: '[--data-dir DIR] [--json] [--search TEXT]',
    async run(argv) {
      const { values } = parseArgs({
        args: argv,
        options: { ...dataDirOption, json: { type: 'boolean' }, search: { type: 'string' } },
      })
      const { store, close } = openStore(values['data-dir'])
      try {
        const sessions = values.search
          ? store.searchSessions(values.search).map((hit) => hit.session)
          : store.listSessions()
        if (values.json) {
          console.log(JSON.stringify(sessions, null, 2))
          return 0
        }
        if (sessions.length === 0) {
          console.log(values.search ? 'No chat matches.' : 'No chats yet.')
          return 0
        }
        const idWidth = Math.max(2, ...sessions.map((s) => String(s.id).length))
        console.log(`${'ID'.padStart(idWidth)}  LAST ACTIVE       MESSAGES  TITLE`)
        for (const s of sessions) {
          console.log(
            `${String(s.id).padStart(idWidth)}  ${date(s.updatedAt)}  ${String(s.messageCount).padStart(8)}  ${s.title}`,
          )
        }
        return 0
      } finally {
        close()
      }
    },
  },
  'sessions export': {
    summary: 'Write one chat as Markdown or JSON (to stdout, or --out FILE).',
    usage: 'ID [--format md|json] [--out FILE] [--data-dir DIR]',
    async run(argv) {
      const { values, positionals } = parseArgs({
        args: argv,
        allowPositionals: true,
        options: {
          ...dataDirOption,
          format: { type: 'string', default: 'md' },
          out: { type: 'string' },
        },
      })
      const id = Number(positionals[0])
      if (positionals.length !== 1 || !Number.isInteger(id) || id <= 0) {
        console.error('usage: glassbox sessions export ID [--format md|json] [--out FILE]')
        return 2
      }
      const format = values.format === 'markdown' ? 'md' : values.format
      if (format !== 'md' && format !== 'json') {
        console.error(`--format is md or json, not "${values.format}".`)
        return 2
      }
      const { store, close } = openStore(values['data-dir'])
      try {
        const session = store.getSession(id)
        const text = exportSession(session, store.listMessages(id), format as ExportFormat)
        if (values.out) {
          fs.writeFileSync(values.out, text)
          console.error(`Wrote ${values.out}`)
        } else process.stdout.write(text)
        return 0
      } finally {
        close()
      }
    },
  },
}
