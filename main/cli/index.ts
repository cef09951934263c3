import { chatCommands } from './chatCommands'
import type { CliCommand } from './command'
import { databaseCommands } from './databaseCommands'
import { exportCommands } from './exportCommands'
import { hostCommands } from './hostCommands'
import { hubCommands } from './hubCommands'
import { inspectCommands } from './inspectCommands'
import { modelCommands } from './modelCommands'
import { sessionCommands } from './sessionCommands'
import { spaceCommands } from './spaceCommands'
import { trainCommands } from './trainCommands'

// Every command of `glassbox`, one spread per domain. Names may have several words
// ("sessions export"); the longest name that matches the arguments wins.
export const commands: Record<string, CliCommand> = {
  ...hostCommands,
  ...databaseCommands,
  ...exportCommands,
  ...sessionCommands,
  ...chatCommands,
  ...inspectCommands,
  ...spaceCommands,
  ...trainCommands,
  ...modelCommands,
  ...hubCommands,
  ...exportCommands,
}
