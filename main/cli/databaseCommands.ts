import fs from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import {
  DATABASE_FILE,
  listBackups,
  openDatabase,
  quickCheck,
  restoreNewest,
  setAside,
} from '../services/store'
import type { CliCommand } from './command'
import { dataDirOption, resolveDataDir } from './dataDir'

function databaseFile(argv: string[]): string {
  const { values } = parseArgs({ args: argv, options: dataDirOption })
  return path.join(resolveDataDir(values['data-dir']), DATABASE_FILE)
}

// The ways out of a database the app refused (damaged, empty): named in its start-up message.
export const databaseCommands: Record<string, CliCommand> = {
  'db check': {
    summary: "Check the database with SQLite's quick_check (read-only) and list its backups.",
    usage: '[--data-dir DIR]',
    async run(argv) {
      const file = databaseFile(argv)
      if (!fs.existsSync(file)) {
        console.log(`${file} does not exist yet: the next start creates it.`)
        return 0
      }
      const result = fs.statSync(file).size === 0 ? 'empty file (0 bytes)' : quickCheck(file)
      console.log(`${file}: ${result}`)
      for (const b of listBackups(file)) console.log(`  backup ${b.at.toISOString()}  ${b.path}`)
      return result === 'ok' ? 0 : 1
    },
  },
  'db restore': {
    summary: 'Put the newest good automatic backup in place; the old file is kept, dated.',
    usage: '[--data-dir DIR]',
    async run(argv) {
      const file = databaseFile(argv)
      const { restored, keptAs } = restoreNewest(file)
      openDatabase(file).close()
      console.log(`Restored ${file} from the backup of ${restored.at.toISOString()}.`)
      if (keptAs) console.log(`The previous file is kept as ${keptAs}.`)
      return 0
    },
  },
  'db fresh': {
    summary: 'Start a new, empty database; the old file is kept beside it under a dated name.',
    usage: '[--data-dir DIR]',
    async run(argv) {
      const file = databaseFile(argv)
      const keptAs = fs.existsSync(file) ? setAside(file) : null
      openDatabase(file).close()
      console.log(`Started a new database at ${file}.`)
      if (keptAs) console.log(`The previous file is kept as ${keptAs}.`)
      return 0
    },
  },
}
