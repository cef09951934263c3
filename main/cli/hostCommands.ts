import { runServe, SERVE_USAGE } from '../host/runServe'
import type { CliCommand } from './command'

export const hostCommands: Record<string, CliCommand> = {
  serve: {
    summary: 'Run Glassbox in your browser: serves the app on 127.0.0.1 and prints its URL.',
    usage: SERVE_USAGE.replace(/^serve /, ''),
    run: (argv) => runServe(argv),
  },
}
