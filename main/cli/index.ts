import { chatCommands } from './chatCommands'
import type { CliCommand } from './command'
import { hostCommands } from './hostCommands'
import { inspectCommands } from './inspectCommands'
import { sessionCommands } from './sessionCommands'

// Every command of `glassbox`, one spread per domain. Names may have several words
// ("sessions export"); the longest name that matches the arguments wins.
export const commands: Record<string, CliCommand> = {
  ...hostCommands,
  ...sessionCommands,
  ...chatCommands,
  ...inspectCommands,
}
