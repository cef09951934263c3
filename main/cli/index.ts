import type { CliCommand } from './command'
import { exportCommands } from './exportCommands'
import { hostCommands } from './hostCommands'
import { sessionCommands } from './sessionCommands'
import { trainCommands } from './trainCommands'

// Every command of `glassbox`, one spread per domain. Names may have several words
// ("sessions export"); the longest name that matches the arguments wins.
export const commands: Record<string, CliCommand> = {
  ...hostCommands,
  ...exportCommands,
  ...sessionCommands,
  ...trainCommands,
}
