// `glassbox <command> ...` (bin main/bin/glassbox.cjs, or `npm run cli -- <command>`).
import { commands } from './cli/index'
import type { CliCommand } from './cli/command'

function help(): void {
  console.log('usage: glassbox <command> [options]\n')
  const names = Object.keys(commands).sort()
  const width = Math.max(...names.map((n) => n.length))
  for (const name of names) console.log(`  ${name.padEnd(width)}  ${commands[name].summary}`)
  console.log('\n`glassbox help <command>` shows its options.')
}

/** The longest command name that the arguments start with. */
export function findCommand(argv: string[]): { name: string; command: CliCommand } | null {
  for (let words = Math.min(argv.length, 4); words > 0; words--) {
    const name = argv.slice(0, words).join(' ')
    if (Object.prototype.hasOwnProperty.call(commands, name)) {
      return { name, command: commands[name] }
    }
  }
  return null
}

export async function main(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv[0] === 'help' || argv[0] === '--help' || argv[0] === '-h') {
    const found = argv.length > 1 ? findCommand(argv.slice(1)) : null
    if (found) console.log(`usage: glassbox ${found.name} ${found.command.usage}`)
    else help()
    return 0
  }
  const found = findCommand(argv)
  if (!found) {
    console.error(`Unknown command "${argv.join(' ')}".\n`)
    help()
    return 2
  }
  const rest = argv.slice(found.name.split(' ').length)
  try {
    return await found.command.run(rest)
  } catch (err) {
    // parseArgs errors and refused databases read best as one line.
    console.error(`glassbox ${found.name}: ${err instanceof Error ? err.message : String(err)}`)
    return 1
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code
    },
    (err: unknown) => {
      console.error(err)
      process.exitCode = 1
    },
  )
}
